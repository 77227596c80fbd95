/**
 * SRTP/SRTCP datagrams taken straight from the UDP sockets of werift's ICE connection
 * (werift 0.24.4), once DTLS-SRTP is up.
 *
 * werift's chain per datagram: `UdpTransport.onData` -> `StunProtocol.datagramReceived` (a STUN
 * parse attempt) -> `onDataReceived` Event -> the ICE connection's listener (nominated pair
 * counters) -> `Connection.onData` Event -> its listeners (ours in ./inbound.ts, and the DTLS
 * transport's, which keeps only DTLS records). Each werift Event also starts an async function
 * per call. RFC 7983 §7 tells the kinds apart by the first octet: 128..191 is RTP or RTCP, and
 * nothing else of the connection wants those, so such a datagram goes to `receive` directly
 * (after the same nominated-pair counters). STUN (0..3: connectivity checks, RFC 7675 consent
 * freshness), DTLS (20..63) and TURN channel data (64..79) still take werift's path, unchanged.
 *
 * Only STUN-protocol (host and server-reflexive UDP) sockets of the connection at the time of
 * the call are taken; media over any other (TURN, TCP, a socket added by an ICE restart) still
 * arrives through `Connection.onData`, which ./inbound.ts keeps listening to. A datagram that
 * does not come from the peer fails SRTP authentication in either path.
 * Where it can (./native-udp-receive.ts: Linux, the addon built), the socket is then read natively,
 * a batch of datagrams per wake-up, and each goes the same way: RTP/RTCP to `receive` as a view
 * of the receive slab (`borrowed`: valid only during the call), the rest to werift's `onData` as
 * a copy (werift keeps DTLS records) with its source address (and `rinfo`, as werift's own
 * listener sets it).
 * Re-check on werift upgrades (`UdpTransport.onData`, `socket`, `rinfo`, `Connection.protocols`,
 * `nominated`).
 */
import type { RemoteInfo, Socket } from 'node:dgram';
import { startNativeReceive } from './native-udp-receive';

type OnData = (data: Buffer, addr: [string, number]) => void;

interface UdpTransportInternals {
  onData?: OnData;
  socket?: Socket;
  rinfo?: RemoteInfo;
}

interface ProtocolInternals {
  type?: string;
  transport?: UdpTransportInternals;
}

/** What we use of werift's ICE `Connection`. */
export interface IceConnectionInternals {
  protocols?: ProtocolInternals[];
  nominated?: { protocol: unknown; packetsReceived: number; bytesReceived: number };
}

const taken = new WeakSet<object>();

/**
 * What an RTP/RTCP datagram goes to. `borrowed`: `data` is valid only until this returns (copy
 * what is kept); otherwise it is the receiver's own.
 */
export type MediaDatagramHandler = (data: Buffer, borrowed: boolean) => void;

/** Hands the RTP/RTCP datagrams of `connection`'s UDP sockets to `receive` (idempotent). */
export const takeMediaDatagrams = (
  connection: IceConnectionInternals,
  receive: MediaDatagramHandler,
): void => {
  for (const protocol of connection.protocols ?? []) {
    const transport = protocol.transport;
    const original = transport?.onData;
    if (protocol.type !== 'stun' || !transport || !original || taken.has(transport)) continue;
    taken.add(transport);
    const media = (data: Buffer, borrowed: boolean): void => {
      const pair = connection.nominated;
      if (pair !== undefined && pair.protocol === protocol) {
        pair.packetsReceived++;
        pair.bytesReceived += data.length;
      }
      receive(data, borrowed);
    };
    transport.onData = (data, addr) => {
      const first = data[0];
      if (first === undefined || first < 128 || first > 191) {
        original(data, addr);
        return;
      }
      media(data, false);
    };
    if (!transport.socket) continue;
    startNativeReceive(transport.socket, (view, slot, port, address) => {
      const first = view[0];
      if (first !== undefined && first >= 128 && first <= 191) {
        media(view, true);
        return;
      }
      const host = address(slot);
      const family = host.includes(':') ? 'IPv6' : 'IPv4';
      transport.rinfo = { address: host, family, port, size: view.length };
      // werift's listener may have been replaced since (an ICE restart); call the current one
      transport.onData?.(Buffer.from(view), [host, port]);
    });
  }
};
