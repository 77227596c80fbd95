import type { ConsumerInfo, ConsumerStats, MediaKind } from './channel/messages';
import type { WorkerContext } from './context';
import { InvalidStateError } from './errors';
import type { Producer } from './producer';
import { TypedEmitter } from './typed-emitter';
import type { AppData } from './types';

export type ConsumerEvents = {
  /** The producer closed; renegotiate the subscribe transport to drop the m-line. */
  producerclose: [];
  /** The transport (or its router/worker) closed. */
  transportclose: [];
  /** Closed for any reason, emitted once, after the specific event. */
  close: [];
};

/** One sendonly transceiver of a subscribe transport, forwarding one producer. */
export class Consumer extends TypedEmitter<ConsumerEvents> {
  readonly id: string;
  readonly producerId: string;
  readonly kind: MediaKind;
  /** The subscribe-side transceiver mid: tell the client "mid X = participant P's camera". */
  readonly mid: string;
  readonly transportId: string;
  appData: AppData;
  readonly #ctx: WorkerContext;
  readonly #producer: Producer | undefined;
  readonly #onClose: (consumer: Consumer) => void;
  #closed = false;

  /** @internal created by Transport.consume() */
  constructor(
    ctx: WorkerContext,
    transportId: string,
    info: ConsumerInfo,
    appData: AppData,
    onClose: (consumer: Consumer) => void,
  ) {
    super();
    this.#ctx = ctx;
    this.id = info.id;
    this.producerId = info.producerId;
    this.kind = info.kind;
    this.mid = info.mid;
    this.transportId = transportId;
    this.appData = appData;
    this.#onClose = onClose;
    this.#producer = ctx.producers.get(info.producerId);
    this.#producer?.addConsumer(this);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Ask the publisher for a keyframe (rate-limited per producer in the worker). */
  async requestKeyFrame(): Promise<void> {
    this.#assertOpen();
    await this.#ctx.channel.request('consumer.requestKeyFrame', { consumerId: this.id });
  }

  /**
   * What the subscriber renders this video at (device pixels; 0x0 = not visible). The SFU
   * forwards the smallest simulcast layer that covers it, or nothing for a hidden tile, within
   * the subscriber's bandwidth. No effect on audio.
   */
  async setPreferredSize(size: { width: number; height: number }): Promise<void> {
    this.#assertOpen();
    const clamp = (n: number) => Math.min(16384, Math.max(0, Math.round(n)));
    if (!Number.isFinite(size.width) || !Number.isFinite(size.height)) {
      throw new TypeError('width and height must be finite numbers');
    }
    await this.#ctx.channel.request('consumer.setPreference', {
      consumerId: this.id,
      maxWidth: clamp(size.width),
      maxHeight: clamp(size.height),
    });
  }

  async getStats(): Promise<ConsumerStats> {
    this.#assertOpen();
    return this.#ctx.channel.request('consumer.getStats', { consumerId: this.id });
  }

  /** Idempotent. The transceiver goes inactive; renegotiate (createOffer) to tell the client. */
  close(): void {
    if (this.#closed) return;
    this.#ctx.channel.notify('consumer.close', { consumerId: this.id });
    this.#teardown();
    this.emit('close');
  }

  /** @internal */
  producerClosed(): void {
    if (this.#closed) return;
    this.#teardown();
    this.emit('producerclose');
    this.emit('close');
  }

  /** @internal */
  transportClosed(): void {
    if (this.#closed) return;
    this.#teardown();
    this.emit('transportclose');
    this.emit('close');
  }

  #teardown(): void {
    this.#closed = true;
    this.#producer?.removeConsumer(this);
    this.#onClose(this);
  }

  #assertOpen(): void {
    if (this.#closed) throw new InvalidStateError(`consumer ${this.id} is closed`);
  }
}
