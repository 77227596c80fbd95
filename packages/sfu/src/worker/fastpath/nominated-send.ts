/**
 * One datagram to the peer of a werift DTLS transport (werift 0.24.4): on the ICE-nominated pair's
 * UDP socket directly, else (TURN, TCP) through werift's `Connection.send`. The transport's and
 * the pair's byte and packet counters are kept as werift keeps them.
 * Re-check on werift upgrades (`Connection.nominated`, `canSendApplicationData`).
 */
import type { RTCDtlsTransport } from 'werift';

interface UdpSocketLike {
  send(msg: Buffer, port: number, address: string): void;
}
interface NominatedPair {
  protocol: {
    type: string;
    transport?: { type?: string; closed?: boolean; socket?: UdpSocketLike };
  };
  remoteCandidate: { host: string; port: number };
  packetsSent: number;
  bytesSent: number;
}
interface IceConnectionLike {
  nominated?: NominatedPair;
  canSendApplicationData(): boolean;
  send(data: Buffer): Promise<void>;
}

const ignore = (): void => undefined;

/** Sends `datagram` (already SRTP/SRTCP-protected) to the peer of `dtlsTransport`. */
export const sendToPeer = (dtlsTransport: RTCDtlsTransport, datagram: Buffer): void => {
  const connection = dtlsTransport.iceTransport.connection as unknown as IceConnectionLike;
  const pair = connection.nominated;
  const transport = pair?.protocol.transport;
  const d = dtlsTransport as unknown as { bytesSent: number; packetsSent: number };
  d.bytesSent += datagram.length;
  d.packetsSent++;
  if (
    pair &&
    pair.protocol.type === 'stun' &&
    transport?.type === 'udp' &&
    transport.socket &&
    !transport.closed &&
    connection.canSendApplicationData()
  ) {
    transport.socket.send(datagram, pair.remoteCandidate.port, pair.remoteCandidate.host);
    pair.packetsSent++;
    pair.bytesSent += datagram.length;
    return;
  }
  // TURN or TCP: werift's own path
  connection.send(datagram).catch(ignore);
};
