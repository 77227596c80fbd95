import type { MediaStreamTrack, RTCRtpTransceiver, RtpPacket } from 'werift';
import type { MediaKind, PayloadSample, ProducerInfo, ProducerStats } from '../channel/messages';
import { KeyframeLimiter } from './keyframe-limiter';
import { PayloadInspector } from './payload-inspector';
import type { WorkerConsumer } from './worker-consumer';
import type { WorkerTap } from './worker-tap';

export interface WorkerProducerOptions {
  id: string;
  kind: MediaKind;
  mid: string;
  transceiver: RTCRtpTransceiver;
  keyframeRequestMinIntervalMs: number;
  /** Test only: keep payload samples (see PayloadInspector). */
  inspection: boolean;
  onClose: (producer: WorkerProducer) => void;
}

/** One received track of a publish transport, fanned out to its consumers. */
export class WorkerProducer {
  readonly id: string;
  readonly kind: MediaKind;
  readonly mid: string;
  readonly #transceiver: RTCRtpTransceiver;
  readonly #consumers = new Set<WorkerConsumer>();
  readonly #taps = new Set<WorkerTap>();
  readonly #limiter: KeyframeLimiter;
  readonly #onClose: (producer: WorkerProducer) => void;
  readonly #unsubscribers: (() => void)[] = [];
  readonly #inspector: PayloadInspector | undefined;
  #track: MediaStreamTrack | undefined;
  #lastSsrc: number | undefined;
  #paused = false;
  #closed = false;
  #rtpPacketsIn = 0;
  #rtpPacketsForwarded = 0;
  #keyframeRequestsReceived = 0;
  #pliSent = 0;

  constructor(options: WorkerProducerOptions) {
    this.id = options.id;
    this.kind = options.kind;
    this.mid = options.mid;
    this.#transceiver = options.transceiver;
    this.#onClose = options.onClose;
    this.#inspector = options.inspection ? new PayloadInspector(options.kind) : undefined;
    this.#limiter = new KeyframeLimiter(options.keyframeRequestMinIntervalMs, () =>
      this.#sendPli(),
    );
    // ontrack fires once per transceiver; simulcast/rid tracks would appear in receiver.tracks.
    // Without simulcast there is one track; the first one seen is the one forwarded.
    for (const track of options.transceiver.receiver.tracks) this.#attach(track);
    const { unSubscribe } = options.transceiver.onTrack.subscribe((track) => this.#attach(track));
    this.#unsubscribers.push(unSubscribe);
  }

  get closed(): boolean {
    return this.#closed;
  }

  get paused(): boolean {
    return this.#paused;
  }

  get transceiver(): RTCRtpTransceiver {
    return this.#transceiver;
  }

  get consumers(): ReadonlySet<WorkerConsumer> {
    return this.#consumers;
  }

  info(): ProducerInfo {
    return { id: this.id, kind: this.kind, mid: this.mid, paused: this.#paused };
  }

  stats(): ProducerStats {
    return {
      rtpPacketsIn: this.#rtpPacketsIn,
      rtpPacketsForwarded: this.#rtpPacketsForwarded,
      keyframeRequestsReceived: this.#keyframeRequestsReceived,
      pliSent: this.#pliSent,
      paused: this.#paused,
    };
  }

  /** Recent received payload samples, oldest first; undefined unless inspection is enabled. */
  inspectPayloads(): PayloadSample[] | undefined {
    return this.#inspector?.samples();
  }

  addConsumer(consumer: WorkerConsumer): void {
    this.#consumers.add(consumer);
  }

  removeConsumer(consumer: WorkerConsumer): void {
    this.#consumers.delete(consumer);
  }

  addTap(tap: WorkerTap): void {
    this.#taps.add(tap);
  }

  removeTap(tap: WorkerTap): void {
    this.#taps.delete(tap);
  }

  pause(): void {
    this.#paused = true;
  }

  resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    for (const consumer of this.#consumers) consumer.resync();
    // receivers need a keyframe to resume decoding
    this.requestKeyFrame();
  }

  /** Rate-limited: see KeyframeLimiter. Audio producers ignore keyframe requests. */
  requestKeyFrame(): void {
    if (this.#closed || this.kind !== 'video') return;
    this.#keyframeRequestsReceived++;
    this.#limiter.request();
  }

  /** Closes the producer and its consumers (which report 'producerclose'). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#limiter.close();
    for (const unsubscribe of this.#unsubscribers) unsubscribe();
    this.#unsubscribers.length = 0;
    for (const consumer of [...this.#consumers]) consumer.close();
    this.#consumers.clear();
    for (const tap of [...this.#taps]) tap.close();
    this.#taps.clear();
    this.#onClose(this);
  }

  #attach(track: MediaStreamTrack): void {
    if (this.#track || this.#closed) return;
    this.#track = track;
    const { unSubscribe } = track.onReceiveRtp.subscribe((rtp) => this.#onRtp(rtp));
    this.#unsubscribers.push(unSubscribe);
  }

  #onRtp(rtp: RtpPacket): void {
    this.#rtpPacketsIn++;
    this.#lastSsrc = rtp.header.ssrc;
    this.#inspector?.record(rtp.payload);
    if (this.#paused) return;
    for (const consumer of this.#consumers) {
      if (consumer.send(rtp)) this.#rtpPacketsForwarded++;
    }
    for (const tap of this.#taps) tap.send(rtp);
  }

  #sendPli(): void {
    const ssrc = this.#track?.ssrc ?? this.#lastSsrc;
    if (ssrc === undefined || this.#closed) return;
    const receiver = this.#transceiver.receiver;
    // werift's sendRtcpPLI silently drops the PLI before DTLS is connected (no SRTCP context
    // yet) or when the publisher did not negotiate PLI; count only PLIs that go on the wire.
    // A publisher that has not connected yet starts with a keyframe anyway.
    if (receiver.dtlsTransport?.state !== 'connected' || !receiver.pliEnabled) return;
    this.#pliSent++;
    void receiver.sendRtcpPLI(ssrc);
  }
}
