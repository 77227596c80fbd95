/**
 * One datagram to the peer of a werift DTLS transport (werift 0.24.4): on the ICE-nominated pair's
 * UDP socket directly (natively where it can, ./native-udp-send.ts: queued to the end of a
 * receive wake-up; else Node's dgram), else (TURN, TCP) through werift's `Connection.send`. The
 * transport's and the pair's byte and packet counters are kept as werift keeps them.
 * Re-check on werift upgrades (`Connection.nominated`, `canSendApplicationData`).
 */
import type { Socket } from 'node:dgram';
import type { RTCDtlsTransport } from 'werift';
import {
  nativeDestination,
  nativeSenderFor,
  sendNative,
  type NativeDestination,
} from './native-udp-send';

interface NominatedPair {
  protocol: {
    type: string;
    transport?: { type?: string; closed?: boolean; socket?: Socket };
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

/** The pair's remote address parsed for the native send (null: not numeric, keep dgram). */
interface ParsedRemote {
  host: string;
  port: number;
  destination: NativeDestination | null;
}
const parsedRemotes = new WeakMap<NominatedPair, ParsedRemote>();

const destinationOf = (pair: NominatedPair): NativeDestination | null => {
  const { host, port } = pair.remoteCandidate;
  let parsed = parsedRemotes.get(pair);
  if (parsed === undefined || parsed.host !== host || parsed.port !== port) {
    parsed = { host, port, destination: nativeDestination(host, port) ?? null };
    parsedRemotes.set(pair, parsed);
  }
  return parsed.destination;
};

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
    const sender = nativeSenderFor(transport.socket);
    const destination = sender && destinationOf(pair);
    if (sender && destination) sendNative(sender, destination, datagram);
    else transport.socket.send(datagram, pair.remoteCandidate.port, pair.remoteCandidate.host);
    pair.packetsSent++;
    pair.bytesSent += datagram.length;
    return;
  }
  // TURN or TCP: werift's own path
  connection.send(datagram).catch(ignore);
};
