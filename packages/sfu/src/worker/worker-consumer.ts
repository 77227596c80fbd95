import { RtpHeader, RtpPacket, type RTCPeerConnection, type RTCRtpTransceiver } from 'werift';
import type { ConsumerInfo, ConsumerStats } from '../channel/messages';
import { RTX_PAYLOAD_TYPE } from './codecs';
import { FastSender } from './fastpath/fast-sender';
import { KeyframeLimiter } from './keyframe-limiter';
import { LayerForwarder } from './simulcast/layer-forwarder';
import { PACKET_OVERHEAD_BYTES, type LayerMeter } from './simulcast/layer-meter';
import type { DownlinkEstimator } from './bwe/downlink-estimator';
import {
  hookRetransmissions,
  markSent,
  retransmissionGate,
  TRANSPORT_CC_URI,
  type RetransmissionSink,
} from './bwe/retransmissions';
import { parseTwcc, rawTwcc } from './bwe/twcc-feedback';
import type { Vp8Fields } from './simulcast/vp8-fields';
import type { WorkerProducer } from './worker-producer';

export interface WorkerConsumerOptions {
  id: string;
  transportId: string;
  producer: WorkerProducer;
  pc: RTCPeerConnection;
  transceiver: RTCRtpTransceiver;
  mid: string;
  /** A subscriber's own PLIs reach the publisher at most this often (ms). */
  subscriberPliMinIntervalMs: number;
  /** The transport's send meter. */
  sent: LayerMeter;
  /** The subscriber's downlink estimator: told each packet's transport-wide sequence number. */
  estimator: DownlinkEstimator | undefined;
  onClose: (consumer: WorkerConsumer) => void;
}

const ignore = (): void => undefined;

/** A key frame asked for and not forwarded after this long is asked for again (PLI lost). */
export const KEYFRAME_RETRY_MS = 1500;
/** ... at most this many times per need (a layer that stopped would be asked forever). */
const KEYFRAME_RETRIES = 2;
/** A subscriber's own PLIs: this many pass at once, then one per `subscriberPliMinIntervalMs`. */
const SUBSCRIBER_PLI_BURST = 2;

/** Tile size hint: what the subscriber renders this video at. */
export interface ConsumerPreference {
  /** Device pixels; 0 = not visible (nothing is forwarded). Infinity = no hint yet. */
  maxHeight: number;
  maxWidth: number;
}

/**
 * One sendonly transceiver of a subscribe transport, fed by one producer. Of a simulcast
 * producer it forwards one layer at a time (`targetLayer`, set by the transport's layer
 * allocation), switching at the target's next key frame; LayerForwarder keeps the outgoing
 * stream continuous.
 */
export class WorkerConsumer {
  readonly id: string;
  readonly transportId: string;
  readonly producer: WorkerProducer;
  readonly mid: string;
  readonly #pc: RTCPeerConnection;
  readonly #transceiver: RTCRtpTransceiver;
  readonly #onClose: (consumer: WorkerConsumer) => void;
  readonly #unsubscribePli: () => void;
  readonly #forwarder: LayerForwarder;
  readonly #fast: FastSender;
  readonly #sent: LayerMeter;
  readonly #estimator: DownlinkEstimator | undefined;
  /** Where retransmissions (either path) are registered: the estimator and the send meter. */
  readonly #retransmissionSink: RetransmissionSink;
  /**
   * A subscriber's PLI asks for a key frame of the layer it receives: two at once, then no more
   * often than `subscriberPliMinIntervalMs` (its loss is repaired by NACK and RTX, and the key
   * frame goes to everyone on that layer). A PLI while a key frame is already on its way is
   * absorbed.
   */
  readonly #pliLimiter: KeyframeLimiter;
  /**
   * This subscriber needs a key frame (it has none yet, switches layer, resumes, or its decoder
   * asked) since this time, -1 if not: the next key frame forwarded to it clears it; until then it
   * is asked for again every KEYFRAME_RETRY_MS (the producer's per-layer limiter coalesces).
   */
  #awaitingKeyframeSince: number;
  #keyframeAskedAt: number;
  #keyframeRetries = 0;
  #closed = false;
  #retransmissionsHooked = false;
  #rtpPacketsOut = 0;
  #pliReceived = 0;
  #target: number;
  #preference: ConsumerPreference = { maxHeight: Infinity, maxWidth: Infinity };

  constructor(options: WorkerConsumerOptions) {
    this.id = options.id;
    this.transportId = options.transportId;
    this.producer = options.producer;
    this.mid = options.mid;
    this.#pc = options.pc;
    this.#transceiver = options.transceiver;
    this.#onClose = options.onClose;
    this.#forwarder = new LayerForwarder(options.producer.kind);
    this.#sent = options.sent;
    this.#estimator = options.estimator;
    const estimator = options.estimator;
    const sent = options.sent;
    this.#retransmissionSink = {
      estimate: () => estimator?.estimate ?? null,
      sent: (seq, bytes, t) => {
        estimator?.onPacketSent(seq, bytes, t);
        sent.add(bytes - PACKET_OVERHEAD_BYTES, t);
      },
    };
    const sink = this.#retransmissionSink;
    this.#fast = new FastSender(options.transceiver.sender, {
      retransmissions: estimator ? (dtls) => retransmissionGate(dtls, sink) : undefined,
      overheadBytes: PACKET_OVERHEAD_BYTES,
    });
    if (estimator) {
      // werift routes transport-cc feedback to the sender named in it, and hands it to that
      // sender's `senderBWE`; ours replaces werift's estimator (whose sequence bookkeeping is
      // per sender, not per transport). Public field in werift 0.24.4: re-check on upgrades.
      (options.transceiver.sender as unknown as { senderBWE: unknown }).senderBWE = {
        rtpPacketSent: () => undefined,
        receiveTWCC: (feedback: unknown) => {
          const raw = rawTwcc(feedback);
          const results = raw ? parseTwcc(raw) : undefined;
          if (results) estimator.onFeedback(results, performance.now());
        },
      };
    }
    // until the first allocation: the top layer (single-layer producers: the only one)
    this.#target = options.producer.layerCount - 1;
    this.#pliLimiter = new KeyframeLimiter(
      options.subscriberPliMinIntervalMs,
      () => this.#askKeyframe(performance.now()),
      undefined,
      SUBSCRIBER_PLI_BURST,
    );
    this.#unsubscribePli = options.transceiver.sender.onPictureLossIndication.subscribe(() => {
      this.#pliReceived++;
      if (this.#awaitingKeyframeSince < 0) this.#pliLimiter.request();
    }).unSubscribe;
    // a new consumer has no key frame yet (the transport asks for it when it adds the consumer)
    this.#awaitingKeyframeSince = this.#keyframeAskedAt = performance.now();
  }

  get closed(): boolean {
    return this.#closed;
  }

  get preference(): ConsumerPreference {
    return this.#preference;
  }

  /** Layer being forwarded now, -1 if none yet. */
  get currentLayer(): number {
    return this.#forwarder.layer;
  }

  get targetLayer(): number {
    return this.#target;
  }

  info(): ConsumerInfo {
    return { id: this.id, producerId: this.producer.id, kind: this.producer.kind, mid: this.mid };
  }

  stats(): ConsumerStats {
    return {
      rtpPacketsOut: this.#rtpPacketsOut,
      pliReceived: this.#pliReceived,
      currentLayer: this.#forwarder.layer,
      targetLayer: this.#target,
      layerSwitches: this.#forwarder.switches,
      preferredHeight: Number.isFinite(this.#preference.maxHeight)
        ? this.#preference.maxHeight
        : null,
    };
  }

  setPreference(preference: ConsumerPreference): void {
    this.#preference = preference;
  }

  /**
   * The layer to forward (-1: none). A different layer than the current one needs its key frame:
   * ask for it (rate-limited per layer by the producer).
   */
  setTargetLayer(layer: number, urgent = false): void {
    const wasPaused = this.#target < 0;
    this.#target = layer;
    // a switch down for bandwidth: the current layer no longer fits, it stops at its next frame
    if (urgent && layer >= 0 && layer < this.#forwarder.layer) this.#forwarder.stopCurrentLayer();
    const held = layer === this.#forwarder.layer && this.#forwarder.resumeCurrentLayer();
    // A hidden tile: when it shows again, restart at a key frame with no sequence gap.
    if (layer < 0) {
      this.#forwarder.resync();
      this.#awaitingKeyframeSince = -1;
    }
    if (layer >= 0 && (wasPaused || held || layer !== this.#forwarder.layer)) {
      this.#askKeyframe(performance.now());
    } else if (layer >= 0 && layer === this.#forwarder.layer) {
      // back to the layer it receives before the switch happened: nothing to wait for
      this.#awaitingKeyframeSince = -1;
    }
  }

  /** The producer resumed after a pause: continue at the next key frame, without a seq gap. */
  resync(): void {
    this.#forwarder.resync();
    this.#awaitingKeyframeSince = this.#keyframeAskedAt = performance.now();
    this.#keyframeRetries = 0;
  }

  /** Whether this subscriber waits for a key frame (see #awaitingKeyframeSince). */
  get awaitingKeyframe(): boolean {
    return this.#awaitingKeyframeSince >= 0;
  }

  /**
   * This subscriber needs a key frame now (its transport connected, its answer was applied, or
   * the server asked): every layer of the producer is asked (the allocation may pick any), and
   * it is asked again until one is forwarded.
   */
  requestKeyFrame(): void {
    if (this.#closed) return;
    const now = performance.now();
    if (this.#target >= 0 && this.#awaitingKeyframeSince < 0) this.#awaitingKeyframeSince = now;
    this.#keyframeAskedAt = now;
    this.#keyframeRetries = 0;
    this.producer.requestKeyFrame();
  }

  /** Asks the producer for a key frame of the layer this subscriber is to receive. */
  #askKeyframe(nowMs: number): void {
    if (this.#closed || this.#target < 0) return;
    if (this.#awaitingKeyframeSince < 0) this.#awaitingKeyframeSince = nowMs;
    this.#keyframeAskedAt = nowMs;
    this.#keyframeRetries = 0;
    this.producer.requestKeyFrame(this.#target);
  }

  /** Still no key frame a while after asking: the PLI (or the key frame) may be lost; ask again. */
  #retryKeyframe(nowMs: number): void {
    if (
      this.#awaitingKeyframeSince < 0 ||
      this.#target < 0 ||
      nowMs - this.#keyframeAskedAt < KEYFRAME_RETRY_MS ||
      this.#keyframeRetries >= KEYFRAME_RETRIES
    ) {
      return;
    }
    this.#keyframeAskedAt = nowMs;
    this.#keyframeRetries++;
    this.producer.requestKeyFrame(this.#target);
  }

  /** Returns true if the packet was handed to the sender (DTLS connected). */
  send(layer: number, rtp: RtpPacket, vp8: Vp8Fields | undefined, nowMs: number): boolean {
    const sender = this.#transceiver.sender;
    if (this.#closed || this.#target < 0 || sender.dtlsTransport?.state !== 'connected') {
      return false;
    }
    const payload = this.#forwarder.rewrite(layer, rtp, vp8, this.#target, nowMs);
    if (!payload) {
      this.#retryKeyframe(nowMs);
      return false;
    }
    if (vp8?.keyframe) this.#awaitingKeyframeSince = -1;
    else this.#retryKeyframe(nowMs);
    this.#rtpPacketsOut++;
    const fields = this.#forwarder.fields;
    this.#emit(fields.sequenceNumber, fields.timestamp, rtp.header.marker, payload, false, nowMs);
    return true;
  }

  /**
   * Padding-only packets (a bandwidth probe, see ProbeController) of `bytes` in all, between two
   * frames of this stream; returns the bytes sent (0 when it cannot carry padding now).
   */
  sendPadding(bytes: number, nowMs: number): number {
    const sender = this.#transceiver.sender;
    if (this.#closed || this.#target < 0 || sender.dtlsTransport?.state !== 'connected') return 0;
    let sent = 0;
    while (sent < bytes) {
      const payload = this.#forwarder.paddingPayload(bytes - sent);
      if (!payload) break;
      const fields = this.#forwarder.fields;
      this.#emit(fields.sequenceNumber, fields.timestamp, false, payload, true, nowMs);
      sent += payload.length;
    }
    return sent;
  }

  /**
   * Sends one packet on the fast path, or through werift's sender when the fast path is not
   * available for this DTLS session; either way the estimator learns its transport-wide sequence
   * number, and NACKs for it are answered through the transport's RetransmissionGate.
   */
  #emit(
    seq: number,
    timestamp: number,
    marker: boolean,
    payload: Buffer,
    padding: boolean,
    nowMs: number,
  ): void {
    const sender = this.#transceiver.sender;
    const extensions = (sender as unknown as { headerExtensions: { uri: string; id: number }[] })
      .headerExtensions;
    const estimator = this.#estimator;
    if (!this.#retransmissionsHooked && estimator) {
      this.#retransmissionsHooked = true;
      hookRetransmissions(
        sender.dtlsTransport,
        extensions.find((e) => e.uri === TRANSPORT_CC_URI)?.id,
        this.#retransmissionSink,
        PACKET_OVERHEAD_BYTES,
        RTX_PAYLOAD_TYPE,
      );
    }
    this.#sent.add(payload.length, nowMs);
    let twcc = this.#fast.send(seq, timestamp, marker, payload, nowMs, padding);
    if (twcc === undefined) {
      // werift's generic path: sendRtp mutates the header and caches the packet for NACK, so the
      // packet is ours alone (extensions: the subscriber's own are written by its sender), and
      // so is its payload (a received one may be a view of the receive slab: fastpath/inbound.ts)
      const header = new RtpHeader({ sequenceNumber: seq, timestamp, marker, padding });
      sender.sendRtp(new RtpPacket(header, Buffer.from(payload))).catch(ignore);
      // the next time werift sends this header, it answers a NACK (see bwe/retransmissions.ts)
      markSent(header);
      // werift assigned the transport-wide sequence number synchronously, before its first await
      twcc = extensions.length > 0 ? sender.dtlsTransport.transportSequenceNumber : -1;
    }
    if (estimator && twcc >= 0) {
      estimator.onPacketSent(twcc, payload.length + PACKET_OVERHEAD_BYTES, nowMs);
    }
  }

  /** Stops forwarding and marks the transceiver inactive; the next offer removes the track. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#pliLimiter.close();
    this.#unsubscribePli();
    this.#fast.close();
    this.producer.removeConsumer(this);
    if (this.#pc.connectionState !== 'closed') {
      // Not pc.removeTrack(): werift 0.24.4 marks a transceiver `stopped` when an answer lacks
      // its m-line (a consumer added while an offer was out), and removeTrack() then does
      // nothing, so the m-line would stay sendonly, with no media, for good.
      this.#transceiver.sender.stop();
      this.#transceiver.setDirection('inactive');
    }
    this.#onClose(this);
  }
}
