/**
 * The receive fast path: SRTP/SRTCP from the peer, unprotected here (./srtp-unprotect.ts) instead
 * of by werift, and each RTP header parsed once (./rtp-parse.ts) into the packet werift's router,
 * receivers and our producers then share.
 *
 * werift 0.24.4's `RTCDtlsTransport.startSrtp` subscribes to the ICE connection's datagrams (after
 * ICE has taken STUN, and with DTLS records going to the DTLS socket) and, per media datagram,
 * decrypts it with its SrtpSession (the header parsed for the cipher, then again for the packet,
 * and a new decipher plus copies per packet; no replay protection). The replacement installed
 * here keeps everything else of that method: werift's SRTP/SRTCP sessions are still created (its
 * RTCP sending and its fallback RTP sending encrypt with them), the transport's byte and packet
 * counters are kept, and `onRtp` / `onRtcp` fire with the same objects as before, except that an
 * RTP packet whose SSRC a producer layer has claimed goes to that layer (./media-routes.ts), and
 * so does a compound RTCP packet of sender reports of such SSRCs (./sender-reports.ts).
 * Datagrams come from the connection's UDP sockets directly where possible (./udp-receive.ts),
 * then as views of the receive slab (`borrowed`): an RTP packet routed to a producer layer is
 * used and forwarded during the call (the send side copies what it keeps), so only what goes on
 * to werift (RTCP, RTP of an unrouted SSRC), which may keep packets, is copied.
 * Keys: the peer's half of the DTLS-SRTP key material (RFC 5764 §4.2), a new unprotector for a
 * new SRTP session.
 * Re-check on werift upgrades (`startSrtp`, `updateSrtpSession`, the `srtp` field).
 */
import { RTCDtlsTransport, RtcpPacketConverter, RtpPacket, type RtcpPacket } from 'werift';
import {
  masterLengths,
  SRTP_AEAD_AES_128_GCM,
  SRTP_AES128_CM_HMAC_SHA1_80,
  type SrtpProfile,
} from './srtp';
import { emptyDrops, SrtpUnprotector, type UnprotectDrops } from './srtp-unprotect';
import {
  mediaRoutes,
  receivePath,
  routeClaimers,
  type MediaRoute,
  type RouteClaimer,
} from './media-routes';
import { parseRtpHeader, rtpHeaderLength } from './rtp-parse';
import { senderReportsOnly } from './sender-reports';
import { takeMediaDatagrams, type IceConnectionInternals } from './udp-receive';
import type { WeriftDtlsSocket } from './werift-dtls';

/** What we use of werift's DTLS transport (werift 0.24.4). */
interface DtlsTransportInternals {
  srtpStarted: boolean;
  srtp?: object;
  dtls?: WeriftDtlsSocket;
  iceTransport: {
    connection: IceConnectionInternals & {
      onData: { subscribe(listener: (data: Buffer) => void): unknown };
    };
  };
  bytesReceived: number;
  packetsReceived: number;
  onRtp: { execute(packet: RtpPacket): void };
  onRtcp: { execute(packet: RtcpPacket): void };
  updateSrtpSession(): void;
}

/** Media datagrams dropped on receive in this thread, by reason (all transports). */
const drops: UnprotectDrops = emptyDrops();

/** Counters of dropped SRTP/SRTCP packets in this thread (a copy). */
export const inboundDrops = (): UnprotectDrops => ({ ...drops });

const isProfile = (profile: number | undefined): profile is SrtpProfile =>
  profile === SRTP_AEAD_AES_128_GCM || profile === SRTP_AES128_CM_HMAC_SHA1_80;

/**
 * `packet` (parsed from `data`, payload decrypted) in buffers of its own, for werift's router,
 * whose receivers may keep packets: the header is parsed again from a copy (its extensions are
 * views of what they were parsed from).
 */
const ownCopy = (packet: RtpPacket, data: Buffer, headerLength: number): RtpPacket => {
  const header = parseRtpHeader(Buffer.from(data.subarray(0, headerLength)));
  header.paddingSize = packet.header.paddingSize;
  return new RtpPacket(header, Buffer.from(packet.payload));
};

/** One DTLS transport's receive side. */
class InboundMedia {
  readonly #transport: DtlsTransportInternals;
  readonly #routes: Map<number, MediaRoute>;
  readonly #claimers: Set<RouteClaimer>;
  #session: object | undefined;
  #unprotector: SrtpUnprotector | undefined;

  constructor(transport: DtlsTransportInternals) {
    this.#transport = transport;
    this.#routes = mediaRoutes(transport);
    this.#claimers = routeClaimers(transport);
  }

  /** Offers a packet of an unrouted SSRC to the transport's claimers (a layer's RTX stream). */
  #claim(packet: RtpPacket): boolean {
    for (const claim of this.#claimers) if (claim(packet)) return true;
    return false;
  }

  /** `borrowed`: `data` is valid only during this call (a view of the receive slab). */
  receive(data: Buffer, borrowed = false): void {
    // RFC 7983 §7: 128..191 is RTP or RTCP (STUN and DTLS are taken elsewhere)
    const first = data[0]!;
    if (first < 128 || first > 191) return;
    const t = this.#transport;
    t.bytesReceived += data.length;
    t.packetsReceived++;
    const unprotector = this.#unprotectorFor(t);
    if (!unprotector || data.length < 2) return;
    // RFC 5761 §4: RTCP packet types 192..223 in the second octet
    const second = data[1]!;
    if (second >= 192 && second <= 223) {
      // werift's RTCP listeners may keep what they are given (a few packets a second)
      this.#receiveRtcp(t, unprotector, borrowed ? Buffer.from(data) : data);
    } else this.#receiveRtp(t, unprotector, data, borrowed);
  }

  #receiveRtp(
    t: DtlsTransportInternals,
    unprotector: SrtpUnprotector,
    data: Buffer,
    borrowed: boolean,
  ): void {
    const headerLength = rtpHeaderLength(data, data.length - unprotector.rtpTrailerLength);
    if (headerLength < 0) {
      drops.malformed++;
      return;
    }
    let payload = unprotector.unprotectRtp(data, headerLength);
    if (!payload) return;
    const header = parseRtpHeader(data);
    header.paddingSize = 0;
    if (header.padding) {
      // RFC 3550 §5.1: the last octet of the (decrypted) padding counts the padding octets
      const paddingSize = payload.length > 0 ? payload[payload.length - 1]! : 0;
      if (paddingSize === 0 || paddingSize > payload.length) {
        drops.malformed++;
        return;
      }
      header.paddingSize = paddingSize;
      payload = payload.subarray(0, payload.length - paddingSize);
    }
    const packet = new RtpPacket(header, payload);
    try {
      // a producer layer that knows this SSRC takes it directly (./media-routes.ts)
      const route = this.#routes.get(header.ssrc);
      if (route !== undefined ? route.receive(packet) : this.#claim(packet)) {
        receivePath.direct++;
        return;
      }
      receivePath.werift++;
      t.onRtp.execute(borrowed ? ownCopy(packet, data, headerLength) : packet);
    } catch {
      // a listener's failure must not stop the transport (werift logs and goes on too)
    }
  }

  #receiveRtcp(t: DtlsTransportInternals, unprotector: SrtpUnprotector, data: Buffer): void {
    const plain = unprotector.unprotectRtcp(data);
    if (!plain) return;
    if (this.#takeSenderReports(plain)) return;
    let packets: RtcpPacket[];
    try {
      packets = RtcpPacketConverter.deSerialize(plain);
    } catch {
      drops.malformed++;
      return;
    }
    for (const packet of packets) {
      try {
        t.onRtcp.execute(packet);
      } catch {
        // as above
      }
    }
  }

  /** A compound packet of SRs (and SDES) whose SSRCs all have routes: recorded there, not by werift. */
  #takeSenderReports(plain: Buffer): boolean {
    const reports = senderReportsOnly(plain);
    if (!reports) return false;
    for (const report of reports) {
      if (this.#routes.get(report.ssrc)?.senderReport === undefined) return false;
    }
    const nowS = Date.now() / 1000;
    try {
      for (const report of reports) this.#routes.get(report.ssrc)!.senderReport!(report, nowS);
    } catch {
      // as above
    }
    receivePath.senderReports++;
    return true;
  }

  /** The unprotector of the transport's current SRTP session (werift makes one per handshake). */
  #unprotectorFor(t: DtlsTransportInternals): SrtpUnprotector | undefined {
    if (t.srtp === this.#session && this.#unprotector) return this.#unprotector;
    const profile = t.dtls?.srtp.srtpProfile;
    if (!t.srtp || !t.dtls || !isProfile(profile)) return undefined;
    const lengths = masterLengths(profile);
    const keys = t.dtls.extractSessionKeys(lengths.key, lengths.salt);
    this.#session = t.srtp;
    this.#unprotector = SrtpUnprotector.fromMaster(profile, keys.remoteKey, keys.remoteSalt, drops);
    return this.#unprotector;
  }
}

let installed = false;

/** Replaces werift's `RTCDtlsTransport.prototype.startSrtp` in this thread (idempotent). */
export const installInboundFastPath = (): void => {
  if (installed) return;
  installed = true;
  const proto = RTCDtlsTransport.prototype as unknown as { startSrtp: () => void };
  proto.startSrtp = function startSrtp(this: DtlsTransportInternals): void {
    if (this.srtpStarted) return;
    this.srtpStarted = true;
    this.updateSrtpSession();
    const inbound = new InboundMedia(this);
    const receive = (data: Buffer): void => inbound.receive(data);
    const connection = this.iceTransport.connection;
    connection.onData.subscribe(receive);
    // and straight from the connection's UDP sockets, past werift's ICE chain (./udp-receive.ts)
    takeMediaDatagrams(connection, (data, borrowed) => {
      receivePath.fromSocket++;
      inbound.receive(data, borrowed);
    });
  };
};
