/**
 * Direct delivery of received RTP to the producer layer that owns its SSRC, past werift's
 * `RtpRouter.routeRtp` and `RTCRtpReceiver.handleRTP` (werift 0.24.4).
 *
 * Per packet, werift's chain parses every header extension into a URI-keyed object, sorts the
 * receiver's codecs twice (`codecArray` behind `nackEnabled`), clones the packet, fires two
 * werift Events (each also starts an async function) and calls `runRtcp()` (another promise).
 * A route does only what the SFU needs of that chain (`DirectReceiver.accept`):
 * - the receiver's `StreamStatistics` for its SSRC (werift's receiver reports to the publisher:
 *   RFC 3550 §6.4.2 loss, highest sequence number, jitter), kept on werift's own object by
 *   `recordArrival` (werift's `add` without its per-packet string round trip);
 * - werift's NACK generator (`receiver.nack`, RFC 4585 §6.2.1 Generic NACK to the publisher) for
 *   video when NACK was negotiated;
 * - the transport-wide sequence number (our TWCC responder, bwe/twcc-responder.ts).
 * Everything else keeps going through werift: a packet whose SSRC has no route yet (the first
 * packets of a stream: werift learns rid/mid -> track there, and its RTCP loop starts), RED, the
 * RTX stream of a track without rids (werift maps it by `a=ssrc-group:FID`), anything of a
 * stopped receiver. RTCP is not routed here at all. A simulcast layer's RTX stream, which werift
 * 0.24.4 cannot map (it drops it), is claimed by its producer (`routeClaimers`,
 * ../publisher-rtx.ts) before werift sees it.
 *
 * Routes are kept per werift DTLS transport (one per peer connection with BUNDLE), SSRC -> route;
 * `installInboundFastPath` (./inbound.ts) looks them up after SRTP authentication.
 * Re-check on werift upgrades (`RTCRtpReceiver.handleRTP`, `RtpRouter.routeRtp`).
 */
import type { RTCRtpReceiver, RtpHeader, RtpPacket } from 'werift';
import type { SenderReport } from './sender-reports';

/** Where an authenticated RTP packet of one SSRC goes instead of werift's router. */
export interface MediaRoute {
  /** Takes the packet, or returns false to leave it to werift's router. */
  receive(packet: RtpPacket): boolean;
  /** Records a sender report of the SSRC (`nowS`: Date.now() in s); absent: werift's router. */
  senderReport?(report: SenderReport, nowS: number): void;
}

/** How received media went, in this thread (all transports, ever): see WorkerDump. */
export interface ReceivePathCounters {
  direct: number;
  werift: number;
  fromSocket: number;
  /** Compound RTCP packets of sender reports read directly (./sender-reports.ts). */
  senderReports: number;
}

export const receivePath: ReceivePathCounters = {
  direct: 0,
  werift: 0,
  fromSocket: 0,
  senderReports: 0,
};

const tables = new WeakMap<object, Map<number, MediaRoute>>();
const claimerTables = new WeakMap<object, Set<RouteClaimer>>();

/**
 * Offered a packet whose SSRC has no route (before werift's router sees it): takes it and
 * answers true, having usually routed its SSRC for the next ones (a publisher's RTX stream of a
 * simulcast layer, ../publisher-rtx.ts), or answers false.
 */
export type RouteClaimer = (packet: RtpPacket) => boolean;

/** The claimers of a werift DTLS transport's unrouted packets. */
export const routeClaimers = (dtlsTransport: object): Set<RouteClaimer> => {
  let set = claimerTables.get(dtlsTransport);
  if (!set) {
    set = new Set();
    claimerTables.set(dtlsTransport, set);
  }
  return set;
};

/** The SSRC -> route table of a werift DTLS transport. */
export const mediaRoutes = (dtlsTransport: object): Map<number, MediaRoute> => {
  let table = tables.get(dtlsTransport);
  if (!table) {
    table = new Map();
    tables.set(dtlsTransport, table);
  }
  return table;
};

const TRANSPORT_CC_URI =
  'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01';

/** What we use of werift 0.24.4's RTCRtpReceiver beyond its typings. */
interface ReceiverInternals {
  stopped: boolean;
  codecs: Record<number, { name: string; rtcpFeedback: { type: string }[] } | undefined>;
  remoteStreams: Record<number, StreamStatisticsFields | undefined>;
  /** werift's NackHandler, or one per SSRC (./nack-per-ssrc.ts) that says what it still misses. */
  nack: { addPacket(packet: RtpPacket): void; isMissing?(ssrc: number, seq: number): boolean };
}

/** The fields of werift 0.24.4's `StreamStatistics` (one per received SSRC, for its RRs). */
export interface StreamStatisticsFields {
  base_seq?: number | undefined;
  max_seq?: number | undefined;
  cycles: number;
  packets_received: number;
  bytesReceived: number;
  headerBytesReceived: number;
  lastPacketReceivedTimestamp?: number | undefined;
  clockRate: number;
  jitter_q4: number;
  last_arrival?: number | undefined;
  last_timestamp?: number | undefined;
}

/** RFC 3550 §A.1 "a is after b" for 16-bit sequence numbers, as werift's `uint16Gt`. */
const seqAfter = (a: number, b: number): boolean =>
  (a < b && b - a > 32768) || (a > b && a - b < 32768);

/**
 * werift's `StreamStatistics.add` on werift's own object: counts, highest sequence number and
 * cycles (RFC 3550 §A.1), interarrival jitter in 1/16 units (§6.4.1, §A.8). werift computes the
 * arrival time with `Number.parseInt` of a float (a string round trip per packet); `Math.trunc`
 * gives the same integer here. `nowS`: arrival time in seconds on the wall clock (werift's default
 * is Date.now(); the direct route passes the one clock reading it takes per packet).
 */
export const recordArrival = (
  s: StreamStatisticsFields,
  header: RtpHeader,
  payloadLength: number,
  nowS: number,
): void => {
  const seq = header.sequenceNumber;
  const inOrder = s.max_seq === undefined || seqAfter(seq, s.max_seq);
  s.packets_received++;
  s.bytesReceived += payloadLength;
  s.headerBytesReceived += header.serializeSize;
  s.lastPacketReceivedTimestamp = nowS * 1000;
  if (s.base_seq === undefined) s.base_seq = seq;
  if (!inOrder) return;
  const arrival = Math.trunc(nowS * s.clockRate);
  if (s.max_seq !== undefined && seq < s.max_seq) s.cycles += 1 << 16;
  s.max_seq = seq;
  if (header.timestamp !== s.last_timestamp && s.packets_received > 1) {
    const diff = Math.abs(
      arrival - (s.last_arrival ?? 0) - (header.timestamp - (s.last_timestamp ?? 0)),
    );
    s.jitter_q4 += diff - ((s.jitter_q4 + 8) >> 4);
  }
  s.last_arrival = arrival;
  s.last_timestamp = header.timestamp;
};

interface CodecInfo {
  codec: object;
  /** Not RTX or RED: the packet is the media itself. */
  plain: boolean;
  /** werift's `nackEnabled` when this codec was seen: video NACKs go to the publisher. */
  nack: boolean;
}

/** werift's `RTCRtpReceiver.nackEnabled`: the codec with the lowest payload type offers nack. */
const nackEnabled = (r: ReceiverInternals): boolean => {
  let first: number | undefined;
  for (const key of Object.keys(r.codecs)) {
    const pt = Number(key);
    if (r.codecs[pt] !== undefined && (first === undefined || pt < first)) first = pt;
  }
  const codec = first === undefined ? undefined : r.codecs[first];
  return codec?.rtcpFeedback.some((f) => f.type === 'nack') ?? false;
};

/**
 * werift's receive bookkeeping for packets that skip its router, for one transceiver's receiver.
 * `accept` answers false when werift must see the packet (then nothing was recorded here).
 */
export class DirectReceiver {
  readonly #receiver: ReceiverInternals;
  readonly #kind: string;
  readonly #headerExtensions: () => readonly { id: number; uri: string }[];
  #extensionsSeen: readonly { id: number; uri: string }[] | undefined;
  #transportCcId = 0;
  readonly #codecs = new Map<number, CodecInfo>();

  constructor(
    receiver: RTCRtpReceiver,
    kind: string,
    headerExtensions: () => readonly { id: number; uri: string }[],
  ) {
    this.#receiver = receiver as unknown as ReceiverInternals;
    this.#kind = kind;
    this.#headerExtensions = headerExtensions;
  }

  /**
   * Records `packet` as werift's `handleRTP` would for a plain media packet of a known track;
   * `nowS`: its arrival on the wall clock, in seconds.
   */
  accept(packet: RtpPacket, nowS: number): boolean {
    const r = this.#receiver;
    const info = this.#plainCodec(packet.header.payloadType);
    if (info === undefined) return false;
    const header = packet.header;
    const stream = r.remoteStreams[header.ssrc];
    if (stream === undefined) return false;
    recordArrival(stream, header, packet.payload.length, nowS);
    if (info.nack) r.nack.addPacket(packet);
    return true;
  }

  /**
   * A media packet unwrapped from the publisher's RTX stream (RFC 4588 §4): taken only if its
   * sequence number is one the NACK generator still misses (a late or spurious retransmission of
   * a packet that arrived is a duplicate), which it then stops asking for. Like werift, the
   * media SSRC's statistics count original packets only (the receiver reports' loss is the
   * link's, RFC 3550 §6.4.1).
   */
  acceptRepair(packet: RtpPacket): boolean {
    const r = this.#receiver;
    const info = this.#plainCodec(packet.header.payloadType);
    const { ssrc, sequenceNumber } = packet.header;
    if (info === undefined || !info.nack || !r.nack.isMissing?.(ssrc, sequenceNumber)) return false;
    r.nack.addPacket(packet);
    return true;
  }

  /** The codec of `payloadType` if it carries media itself (not RTX or RED) and `receiver` runs. */
  #plainCodec(payloadType: number): CodecInfo | undefined {
    const r = this.#receiver;
    if (r.stopped) return undefined;
    const codec = r.codecs[payloadType];
    if (codec === undefined) return undefined;
    let info = this.#codecs.get(payloadType);
    if (info?.codec !== codec) {
      // a renegotiation gives the receiver new codec objects: seen here as a change
      const name = codec.name.toLowerCase();
      const plain = name !== 'rtx' && name !== 'red';
      info = { codec, plain, nack: this.#kind === 'video' && nackEnabled(r) };
      this.#codecs.set(payloadType, info);
    }
    return info.plain ? info : undefined;
  }

  /** The transport-wide sequence number in `header` (draft-holmer-...-extensions-01 §2), if any. */
  transportSeq(header: RtpHeader): number | undefined {
    const negotiated = this.#headerExtensions();
    if (negotiated !== this.#extensionsSeen) {
      this.#extensionsSeen = negotiated;
      this.#transportCcId = negotiated.find((e) => e.uri === TRANSPORT_CC_URI)?.id ?? 0;
    }
    const id = this.#transportCcId;
    if (id === 0) return undefined;
    const extensions = header.extensions;
    for (let i = 0; i < extensions.length; i++) {
      const e = extensions[i]!;
      if (e.id === id) return e.payload.length >= 2 ? e.payload.readUInt16BE(0) : undefined;
    }
    return undefined;
  }
}
