/**
 * The main-thread <-> media-worker wire. Requests are a discriminated union on `kind`, each with a
 * request id; the worker answers every request with exactly one `result` or `error` carrying the
 * same id, and pushes `event` messages for things that happen on its own (new tracks, ICE state).
 */
import type { WireError } from '../errors';

export type MediaKind = 'audio' | 'video';
export type TransportDirection = 'publish' | 'subscribe';
export type ConnectionState =
  'new' | 'connecting' | 'connected' | 'disconnected' | 'failed' | 'closed';

export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

/** Options fixed for the life of a worker (passed as workerData). */
export interface WorkerSettings {
  /** STUN/TURN servers. Default []: no STUN unless configured. */
  iceServers: IceServer[];
  /** Extra host candidates, e.g. ['127.0.0.1'] for loopback tests. */
  iceAdditionalHostAddresses: string[];
  /** Restrict local UDP ports (inclusive), e.g. [40000, 40999]. */
  icePortRange?: [number, number] | undefined;
  /** At most one PLI per producer layer per this many milliseconds. */
  keyframeRequestMinIntervalMs: number;
  /** A subscriber's own PLIs are passed on at most this often (per consumer). */
  subscriberKeyframeRequestMinIntervalMs: number;
  /** Test only: keep recent received payload samples per producer (see PayloadSample). */
  inspection: boolean;
}

export interface ProducerInfo {
  id: string;
  kind: MediaKind;
  mid: string;
  paused: boolean;
  /** RTP streams received for the track: simulcast layers (rids), 1 without simulcast. */
  layers: number;
}

export interface ConsumerInfo {
  id: string;
  producerId: string;
  kind: MediaKind;
  mid: string;
}

export interface ProducerStats {
  /** RTP packets received from the publisher (also counted while paused). */
  rtpPacketsIn: number;
  /** RTP packets handed to consumers, summed over consumers. */
  rtpPacketsForwarded: number;
  /** Keyframe requests received: PLIs from subscribers plus API/new-consumer requests. */
  keyframeRequestsReceived: number;
  /** PLIs actually sent to the publisher after rate limiting (summed over layers). */
  pliSent: number;
  paused: boolean;
  /** One entry per received RTP stream, lowest simulcast layer first. */
  layers: LayerStats[];
}

/** One received RTP stream of a producer (a simulcast layer, or the only stream). */
export interface LayerStats {
  /** RTP stream id (RFC 8852), null without simulcast. */
  rid: string | null;
  ssrc: number | null;
  rtpPacketsIn: number;
  /** Payload bits per second over the last second. */
  bitrate: number;
  /** A packet arrived in the last second. */
  active: boolean;
  /** From the last VP8 key frame; 0 until one arrived (and for audio). */
  width: number;
  height: number;
  pliSent: number;
  /** Packets of this layer's RTX stream (RFC 4588), padding included. */
  rtxPacketsIn: number;
  /** Lost packets repaired from the RTX stream (duplicates of received packets not counted). */
  repairedPacketsIn: number;
  /**
   * Copies of packets that had arrived (same SSRC and sequence number, e.g. RTX probe padding),
   * dropped before forwarding (worker/duplicate-filter.ts).
   */
  duplicatePacketsIn: number;
}

export interface ConsumerStats {
  rtpPacketsOut: number;
  /** PLIs received from this consumer's remote receiver. */
  pliReceived: number;
  /** Layer being forwarded (-1: none yet). */
  currentLayer: number;
  /** Layer chosen by tile size and bandwidth (-1: nothing, e.g. a hidden tile). */
  targetLayer: number;
  /** Times the forwarded layer changed (or restarted after a pause). */
  layerSwitches: number;
  /** Last tile height reported for this consumer (device pixels), null if none. */
  preferredHeight: number | null;
}

/** A subscribe transport's view of its downlink. */
export interface TransportStats {
  /** Estimated available downlink bitrate (bits/s), null before any estimate. */
  availableBitrate: number | null;
  /** What the SFU sent on this transport over the last second (bits/s of RTP payload). */
  sendBitrate: number;
  /** What the tiles would take without a bandwidth limit, audio included (bits/s on the wire). */
  desiredBitrate: number;
  /** Smoothed queuing delay seen in the subscriber's transport-cc feedback. */
  queuingDelayMs: number;
  /** Packets reported lost over the last second. */
  lossFraction: number;
  /** The estimate minus audio: what the layer allocation shares among videos (bits/s). */
  videoBudget: number | null;
  /** Padding probes started, and those that showed the bandwidth (bwe/probe-controller.ts). */
  probes: number;
  probesSucceeded: number;
  /** NACKs answered, and retransmissions not sent (paced out or repeated within 100 ms). */
  retransmissions: number;
  retransmissionsDropped: number;
}

/**
 * Test only (MediaWorker `inspection: true`): what the SFU saw of one RTP payload received from
 * the publisher, before forwarding (forwarding never changes payloads). `payloadHead` is base64.
 */
export type PayloadSample = VideoPayloadSample | AudioPayloadSample;

/** A VP8 packet that starts a frame (S = 1, PID = 0). Fields describe the VP8 payload, i.e. the
 * RTP payload after the VP8 payload descriptor. */
export interface VideoPayloadSample {
  kind: 'video';
  frameStart: true;
  /** base64 of the first (up to) 48 bytes of the VP8 payload (after the descriptor). */
  payloadHead: string;
  /** P bit of the VP8 payload header is 0 (first byte & 0x01 === 0): an intra frame. */
  keyframeBit: boolean;
  /** Length of the VP8 payload (after the descriptor), in bytes. */
  payloadLength: number;
}

/** An Opus packet (every one received). */
export interface AudioPayloadSample {
  kind: 'audio';
  /** base64 of the first (up to) 48 bytes of the RTP payload. */
  payloadHead: string;
  /** Length of the RTP payload, in bytes. */
  payloadLength: number;
}

export interface WorkerDump {
  routers: number;
  transports: number;
  producers: number;
  consumers: number;
  /** Open RTP taps (live captions). */
  taps: number;
  /** werift RTCPeerConnections whose close() has not completed. */
  peerConnections: number;
  /** UDP sockets opened by this worker and not yet closed. */
  udpSockets: number;
  /** SRTP and SRTCP packets the worker dropped on receive, by reason (all transports, ever). */
  srtpDrops: SrtpDrops;
  /**
   * How received media went (all transports, ever). Authenticated RTP packets: `direct` straight
   * to their producer layer, `werift` through werift's router (a stream's first packets, RTX).
   * `fromSocket`: SRTP/SRTCP datagrams read from a UDP socket directly, not via werift's ICE.
   * `senderReports`: publishers' compound RTCP packets of sender reports read directly.
   */
  rtpReceivePath: { direct: number; werift: number; fromSocket: number; senderReports: number };
  /**
   * UDP sockets read natively (packages/aead-native udp-receive.cc; `sockets` open now) and what
   * that read: wake-ups, datagrams, datagrams dropped as longer than a slot, errors (last errno).
   */
  nativeReceive: {
    sockets: number;
    wakeups: number;
    datagrams: number;
    /** datagrams longer than a slot (MSG_TRUNC), dropped */
    truncated: number;
    /** recvmmsg/poll errors other than EAGAIN, receiving goes on */
    errors: number;
    /** the last error's errno (0: none) */
    lastErrno: number;
  };
  /**
   * UDP sockets sent on natively (packages/aead-native udp-send.cc; `sockets` open now): calls
   * into C++ (one per receive wake-up that sent, or per datagram sent outside one), datagrams
   * sent, sendmmsg calls, datagrams dropped (send buffer full, ICMP error, socket closed), and the
   * last such errno (0: none).
   */
  nativeSend: {
    sockets: number;
    calls: number;
    datagrams: number;
    syscalls: number;
    dropped: number;
    lastErrno: number;
  };
}

export interface SrtpDrops {
  /** Too short, a header running past the packet, bad padding, or unparsable RTCP. */
  malformed: number;
  /** Authentication tag mismatch: tampered, or not from the peer (RFC 3711 §3.3 step 5). */
  authFailed: number;
  /** Index received before (RFC 3711 §3.3.2 replay list). */
  replayed: number;
  /** Index below the replay window. */
  tooOld: number;
}

/** Request kind -> params and result. Adding a kind here forces validator and handler updates. */
export interface RequestMap {
  'worker.dump': { params: Record<never, never>; result: WorkerDump };
  'worker.close': { params: Record<never, never>; result: null };
  'router.create': { params: { routerId: string }; result: null };
  'router.close': { params: { routerId: string }; result: null };
  'transport.create': {
    params: { routerId: string; transportId: string; direction: TransportDirection };
    result: null;
  };
  'transport.close': { params: { transportId: string }; result: null };
  'transport.handleOffer': {
    params: { transportId: string; sdp: string };
    result: { sdp: string };
  };
  'transport.createOffer': { params: { transportId: string }; result: { sdp: string } };
  'transport.handleAnswer': { params: { transportId: string; sdp: string }; result: null };
  'transport.consume': {
    params: { transportId: string; consumerId: string; producerId: string };
    result: ConsumerInfo;
  };
  'producer.pause': { params: { producerId: string }; result: null };
  'producer.resume': { params: { producerId: string }; result: null };
  'producer.close': { params: { producerId: string }; result: null };
  'producer.getStats': { params: { producerId: string }; result: ProducerStats };
  'producer.inspectPayloads': { params: { producerId: string }; result: PayloadSample[] };
  'producer.createTap': { params: { producerId: string; tapId: string }; result: null };
  'producer.requestKeyFrame': { params: { producerId: string }; result: null };
  'tap.close': { params: { tapId: string }; result: null };
  'consumer.close': { params: { consumerId: string }; result: null };
  'consumer.requestKeyFrame': { params: { consumerId: string }; result: null };
  'consumer.getStats': { params: { consumerId: string }; result: ConsumerStats };
  'consumer.setPreference': {
    params: { consumerId: string; maxWidth: number; maxHeight: number };
    result: null;
  };
  'transport.getStats': { params: { transportId: string }; result: TransportStats };
}

export type RequestKind = keyof RequestMap;
export type RequestParams<K extends RequestKind> = RequestMap[K]['params'];
export type RequestResult<K extends RequestKind> = RequestMap[K]['result'];

export type Request = {
  [K in RequestKind]: { kind: K; id: number } & RequestParams<K>;
}[RequestKind];

/** One RTP packet a tap saw (the payload is copied out of the worker). */
export interface TapPacket {
  payload: Uint8Array;
  sequenceNumber: number;
  timestamp: number;
  /** RTP marker bit: last packet of a video frame. */
  marker: boolean;
}

/** Events the worker pushes without being asked. */
export type WorkerEvent =
  | { kind: 'event.producer'; transportId: string; producer: ProducerInfo }
  | ({ kind: 'event.tap.rtp'; tapId: string } & TapPacket)
  | { kind: 'event.tapclose'; tapId: string }
  | { kind: 'event.producerclose'; producerId: string }
  /** Simulcast: how many layers, lowest first, someone needs now (dynacast). */
  | { kind: 'event.producerlayers'; producerId: string; layers: number }
  | { kind: 'event.connectionstatechange'; transportId: string; state: ConnectionState };

export type WorkerMessage =
  /** `aead`: the SRTP AES-GCM implementation the worker uses (worker/fastpath/aead-context.ts). */
  | { kind: 'ready'; aead: 'openssl-context-per-key' | 'node-crypto' }
  | { kind: 'result'; id: number; result: unknown }
  | { kind: 'error'; id: number | null; error: WireError }
  | WorkerEvent;

type FieldType = 'string' | 'direction' | 'size';

/** Fields each request must carry besides `kind` and `id`. */
const REQUEST_FIELDS: { [K in RequestKind]: Record<keyof RequestParams<K>, FieldType> } = {
  'worker.dump': {},
  'worker.close': {},
  'router.create': { routerId: 'string' },
  'router.close': { routerId: 'string' },
  'transport.create': { routerId: 'string', transportId: 'string', direction: 'direction' },
  'transport.close': { transportId: 'string' },
  'transport.handleOffer': { transportId: 'string', sdp: 'string' },
  'transport.createOffer': { transportId: 'string' },
  'transport.handleAnswer': { transportId: 'string', sdp: 'string' },
  'transport.consume': { transportId: 'string', consumerId: 'string', producerId: 'string' },
  'producer.pause': { producerId: 'string' },
  'producer.resume': { producerId: 'string' },
  'producer.close': { producerId: 'string' },
  'producer.getStats': { producerId: 'string' },
  'producer.inspectPayloads': { producerId: 'string' },
  'producer.createTap': { producerId: 'string', tapId: 'string' },
  'producer.requestKeyFrame': { producerId: 'string' },
  'tap.close': { tapId: 'string' },
  'consumer.close': { consumerId: 'string' },
  'consumer.requestKeyFrame': { consumerId: 'string' },
  'consumer.getStats': { consumerId: 'string' },
  'consumer.setPreference': { consumerId: 'string', maxWidth: 'size', maxHeight: 'size' },
  'transport.getStats': { transportId: 'string' },
};

const MAX_ID_LENGTH = 128;
const MAX_SDP_LENGTH = 256 * 1024;

export type ValidationResult =
  { ok: true; request: Request } | { ok: false; id: number | null; detail: string };

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Validates an untrusted message from the main thread. */
export const validateRequest = (raw: unknown): ValidationResult => {
  if (!isRecord(raw)) return { ok: false, id: null, detail: 'message is not an object' };
  const id = Number.isSafeInteger(raw.id) ? (raw.id as number) : null;
  if (id === null) return { ok: false, id: null, detail: 'missing or invalid id' };
  const kind = raw.kind;
  if (typeof kind !== 'string' || !Object.hasOwn(REQUEST_FIELDS, kind)) {
    return { ok: false, id, detail: `unknown kind ${JSON.stringify(kind)?.slice(0, 64)}` };
  }
  const fields = REQUEST_FIELDS[kind as RequestKind] as Record<string, FieldType>;
  for (const [name, type] of Object.entries(fields)) {
    const value = raw[name];
    if (type === 'size') {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 16384) {
        return { ok: false, id, detail: `${name} must be an integer from 0 to 16384` };
      }
    } else if (type === 'direction') {
      if (value !== 'publish' && value !== 'subscribe') {
        return { ok: false, id, detail: `${name} must be 'publish' or 'subscribe'` };
      }
    } else {
      const max = name === 'sdp' ? MAX_SDP_LENGTH : MAX_ID_LENGTH;
      if (typeof value !== 'string' || value.length === 0 || value.length > max) {
        return { ok: false, id, detail: `${name} must be a non-empty string` };
      }
    }
  }
  return { ok: true, request: raw as Request };
};
