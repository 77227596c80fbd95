/**
 * Direct delivery of received RTP to the producer layer that owns its SSRC, past werift's
 * `RtpRouter.routeRtp` and `RTCRtpReceiver.handleRTP` (werift 0.24.4).
 *
 * Per packet, werift's chain parses every header extension into a URI-keyed object, sorts the
 * receiver's codecs twice (`codecArray` behind `nackEnabled`), clones the packet, fires two
 * werift Events (each also starts an async function) and calls `runRtcp()` (another promise).
 * A route does only what the SFU needs of that chain (`DirectReceiver.accept`):
 * - the receiver's `StreamStatistics` for its SSRC (werift's receiver reports to the publisher:
 *   RFC 3550 §6.4.2 loss, highest sequence number, jitter), kept on werift's own object;
 * - werift's NACK generator (`receiver.nack`, RFC 4585 §6.2.1 Generic NACK to the publisher) for
 *   video when NACK was negotiated;
 * - the transport-wide sequence number (our TWCC responder, bwe/twcc-responder.ts).
 * Everything else keeps going through werift: a packet whose SSRC has no route yet (the first
 * packets of a stream: werift learns rid/mid -> track there, and its RTCP loop starts), RTX and
 * RED payload types, anything of a stopped receiver. RTCP is not routed here at all.
 *
 * Routes are kept per werift DTLS transport (one per peer connection with BUNDLE), SSRC -> route;
 * `installInboundFastPath` (./inbound.ts) looks them up after SRTP authentication.
 * Re-check on werift upgrades (`RTCRtpReceiver.handleRTP`, `RtpRouter.routeRtp`).
 */
import type { RTCRtpReceiver, RtpHeader, RtpPacket } from 'werift';

/** Where an authenticated RTP packet of one SSRC goes instead of werift's router. */
export interface MediaRoute {
  /** Takes the packet, or returns false to leave it to werift's router. */
  receive(packet: RtpPacket): boolean;
}

/** How received media went, in this thread (all transports, ever): see WorkerDump. */
export interface ReceivePathCounters {
  direct: number;
  werift: number;
  fromSocket: number;
}

export const receivePath: ReceivePathCounters = { direct: 0, werift: 0, fromSocket: 0 };

const tables = new WeakMap<object, Map<number, MediaRoute>>();

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
  remoteStreams: Record<number, { add(packet: RtpPacket): void } | undefined>;
  nack: { addPacket(packet: RtpPacket): void };
}

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

  /** Records `packet` as werift's `handleRTP` would for a plain media packet of a known track. */
  accept(packet: RtpPacket): boolean {
    const r = this.#receiver;
    if (r.stopped) return false;
    const header = packet.header;
    const codec = r.codecs[header.payloadType];
    if (codec === undefined) return false;
    let info = this.#codecs.get(header.payloadType);
    if (info?.codec !== codec) {
      // a renegotiation gives the receiver new codec objects: seen here as a change
      const name = codec.name.toLowerCase();
      const plain = name !== 'rtx' && name !== 'red';
      info = { codec, plain, nack: this.#kind === 'video' && nackEnabled(r) };
      this.#codecs.set(header.payloadType, info);
    }
    if (!info.plain) return false;
    const stream = r.remoteStreams[header.ssrc];
    if (stream === undefined) return false;
    stream.add(packet);
    if (info.nack) r.nack.addPacket(packet);
    return true;
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
