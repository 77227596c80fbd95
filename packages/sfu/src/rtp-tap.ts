import type { TapPacket } from './channel/messages';
import type { WorkerContext } from './context';
import { TypedEmitter } from './typed-emitter';

export type RtpTapEvents = {
  /** One RTP packet received from the publisher (none while the producer is paused). */
  rtp: [TapPacket];
  /** Closed for any reason (close(), producer closed, worker died); emitted once. */
  close: [];
};

/**
 * A copy of one producer's received RTP delivered to the main thread, for server-side processing
 * such as live captions. Created by `Producer.createTap()`; closes with its producer.
 */
export class RtpTap extends TypedEmitter<RtpTapEvents> {
  readonly id: string;
  readonly producerId: string;
  readonly #ctx: WorkerContext;
  #closed = false;

  /** @internal created by Producer.createTap() */
  constructor(ctx: WorkerContext, id: string, producerId: string) {
    super();
    this.#ctx = ctx;
    this.id = id;
    this.producerId = producerId;
    ctx.taps.set(id, this);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#ctx.channel.notify('tap.close', { tapId: this.id });
    this.closedByWorker();
  }

  /** @internal */
  handlePacket(packet: TapPacket): void {
    if (!this.#closed) this.emit('rtp', packet);
  }

  /** @internal the worker closed it (producer closed) or the worker went away */
  closedByWorker(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#ctx.taps.delete(this.id);
    this.emit('close');
  }
}
