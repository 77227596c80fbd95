import { randomUUID } from 'node:crypto';
import type { MediaKind, PayloadSample, ProducerInfo, ProducerStats } from './channel/messages';
import type { Consumer } from './consumer';
import type { WorkerContext } from './context';
import { InvalidStateError } from './errors';
import { RtpTap } from './rtp-tap';
import { TypedEmitter } from './typed-emitter';
import type { AppData } from './types';

export type ProducerEvents = {
  /** The transport (or its router/worker) closed. */
  transportclose: [];
  /** The publisher removed the track in a renegotiation. */
  remoteclose: [];
  /** Closed for any reason, emitted once, after the specific event. */
  close: [];
  /**
   * Simulcast: the publisher need only send this many layers, lowest first (nobody's tile needs
   * more; a tap takes all). Raised at once, lowered after a hold (dynacast).
   */
  layersneeded: [layers: number];
};

/** One track received on a publish transport. Created by the worker; see Transport 'producer'. */
export class Producer extends TypedEmitter<ProducerEvents> {
  readonly id: string;
  readonly kind: MediaKind;
  /** The publish-side transceiver mid, as in the browser's offer. */
  readonly mid: string;
  readonly transportId: string;
  /** RTP streams of the track: simulcast layers (lowest first), 1 without simulcast. */
  readonly layers: number;
  appData: AppData = {};
  readonly #ctx: WorkerContext;
  readonly #consumers = new Set<Consumer>();
  readonly #taps = new Set<RtpTap>();
  #paused: boolean;
  #closed = false;

  /** @internal created by Transport */
  constructor(ctx: WorkerContext, transportId: string, info: ProducerInfo) {
    super();
    this.#ctx = ctx;
    this.id = info.id;
    this.kind = info.kind;
    this.mid = info.mid;
    this.transportId = transportId;
    this.layers = info.layers;
    this.#paused = info.paused;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** @internal from the worker */
  layersNeeded(layers: number): void {
    if (this.#closed || !Number.isInteger(layers) || layers < 1) return;
    this.emit('layersneeded', layers);
  }

  get paused(): boolean {
    return this.#paused;
  }

  get consumers(): ReadonlySet<Consumer> {
    return this.#consumers;
  }

  /** Stop forwarding (host mute). Packets are still received and counted. */
  async pause(): Promise<void> {
    this.#assertOpen();
    this.#paused = true;
    await this.#ctx.channel.request('producer.pause', { producerId: this.id });
  }

  /** Resume forwarding; requests a keyframe so receivers can decode at once. */
  async resume(): Promise<void> {
    this.#assertOpen();
    this.#paused = false;
    await this.#ctx.channel.request('producer.resume', { producerId: this.id });
  }

  async getStats(): Promise<ProducerStats> {
    this.#assertOpen();
    return this.#ctx.channel.request('producer.getStats', { producerId: this.id });
  }

  /**
   * TEST ONLY. The most recent payload samples (at most 64, oldest first) of RTP packets received
   * from the publisher: every Opus packet; VP8 packets that start a frame. Rejects with
   * SfuError SFU_ERR_INSPECTION_DISABLED unless the worker was created with `inspection: true`.
   */
  async inspectPayloads(): Promise<PayloadSample[]> {
    this.#assertOpen();
    return this.#ctx.channel.request('producer.inspectPayloads', { producerId: this.id });
  }

  /**
   * A copy of this producer's received RTP on the main thread (e.g. live captions decode the
   * audio). Nothing is delivered while the producer is paused. The tap closes with the producer.
   */
  async createTap(): Promise<RtpTap> {
    this.#assertOpen();
    const tap = new RtpTap(this.#ctx, randomUUID(), this.id);
    this.#taps.add(tap);
    tap.on('close', () => this.#taps.delete(tap));
    try {
      await this.#ctx.channel.request('producer.createTap', { producerId: this.id, tapId: tap.id });
    } catch (err) {
      tap.closedByWorker();
      throw err;
    }
    return tap;
  }

  /**
   * Asks the publisher for a keyframe (rate-limited like consumers' requests), for a tap that
   * needs one to start or after a loss (recording). Audio producers ignore it.
   */
  async requestKeyFrame(): Promise<void> {
    this.#assertOpen();
    await this.#ctx.channel.request('producer.requestKeyFrame', { producerId: this.id });
  }

  /** Idempotent. Closes every consumer of this producer (they emit 'producerclose'). */
  close(): void {
    if (this.#closed) return;
    this.#ctx.channel.notify('producer.close', { producerId: this.id });
    this.#teardown();
    this.emit('close');
  }

  /** @internal */
  addConsumer(consumer: Consumer): void {
    this.#consumers.add(consumer);
  }

  /** @internal */
  removeConsumer(consumer: Consumer): void {
    this.#consumers.delete(consumer);
  }

  /** @internal the transport closed; the worker has cascaded already */
  transportClosed(): void {
    if (this.#closed) return;
    this.#teardown();
    this.emit('transportclose');
    this.emit('close');
  }

  /** @internal the worker closed it (track removed by the publisher) */
  remoteClosed(): void {
    if (this.#closed) return;
    this.#teardown();
    this.emit('remoteclose');
    this.emit('close');
  }

  #teardown(): void {
    this.#closed = true;
    this.#ctx.producers.delete(this.id);
    for (const consumer of [...this.#consumers]) consumer.producerClosed();
    this.#consumers.clear();
    for (const tap of [...this.#taps]) tap.closedByWorker();
  }

  #assertOpen(): void {
    if (this.#closed) throw new InvalidStateError(`producer ${this.id} is closed`);
  }
}
