import { randomUUID } from 'node:crypto';
import type {
  ConnectionState,
  ProducerInfo,
  TransportDirection,
  TransportStats,
} from './channel/messages';
import { Consumer } from './consumer';
import type { WorkerContext } from './context';
import { InvalidStateError, SfuError } from './errors';
import { Producer } from './producer';
import { TypedEmitter } from './typed-emitter';
import type { AppData } from './types';

export type TransportEvents = {
  /** Publish transports: a new incoming track (emitted before handleOffer() resolves). */
  producer: [Producer];
  connectionstatechange: [ConnectionState];
  /** The router (or its worker) closed. */
  routerclose: [];
  /** Closed for any reason, emitted once, after the specific event. */
  close: [];
};

export interface ConsumeOptions {
  appData?: AppData;
}

/**
 * One werift RTCPeerConnection in the worker. 'publish': the browser offers sendonly tracks and
 * calls handleOffer(). 'subscribe': consume() adds tracks, createOffer()/handleAnswer() negotiate.
 */
export class Transport extends TypedEmitter<TransportEvents> {
  readonly id: string;
  readonly routerId: string;
  readonly direction: TransportDirection;
  appData: AppData;
  readonly #ctx: WorkerContext;
  readonly #producers = new Map<string, Producer>();
  readonly #consumers = new Map<string, Consumer>();
  readonly #onClose: (transport: Transport) => void;
  #connectionState: ConnectionState = 'new';
  #closed = false;

  /** @internal created by Router.createTransport() */
  constructor(
    ctx: WorkerContext,
    options: { id: string; routerId: string; direction: TransportDirection; appData: AppData },
    onClose: (transport: Transport) => void,
  ) {
    super();
    this.#ctx = ctx;
    this.id = options.id;
    this.routerId = options.routerId;
    this.direction = options.direction;
    this.appData = options.appData;
    this.#onClose = onClose;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get connectionState(): ConnectionState {
    return this.#connectionState;
  }

  get producers(): ReadonlyMap<string, Producer> {
    return this.#producers;
  }

  get consumers(): ReadonlyMap<string, Consumer> {
    return this.#consumers;
  }

  /** Publish: apply the client's offer and return the answer (ICE candidates included). */
  async handleOffer(sdp: string): Promise<string> {
    this.#assertDirection('publish');
    const result = await this.#ctx.channel.request('transport.handleOffer', {
      transportId: this.id,
      sdp,
    });
    return result.sdp;
  }

  /** Subscribe: start consuming a producer of the same router. Negotiate afterwards. */
  async consume(producerId: string, options: ConsumeOptions = {}): Promise<Consumer> {
    this.#assertDirection('subscribe');
    const info = await this.#ctx.channel.request('transport.consume', {
      transportId: this.id,
      consumerId: randomUUID(),
      producerId,
    });
    if (this.#closed) throw new SfuError('SFU_ERR_CLOSED', `transport ${this.id}`);
    const consumer = new Consumer(this.#ctx, this.id, info, options.appData ?? {}, (c) =>
      this.#consumers.delete(c.id),
    );
    this.#consumers.set(consumer.id, consumer);
    // The producer may have closed while the request was in flight.
    if (!this.#ctx.producers.has(producerId)) consumer.producerClosed();
    return consumer;
  }

  /** Subscribe: an offer for the current consumers (closed ones appear inactive). */
  async createOffer(): Promise<string> {
    this.#assertDirection('subscribe');
    const result = await this.#ctx.channel.request('transport.createOffer', {
      transportId: this.id,
    });
    return result.sdp;
  }

  /** Subscribe: apply the client's answer to the last createOffer(). */
  async handleAnswer(sdp: string): Promise<void> {
    this.#assertDirection('subscribe');
    await this.#ctx.channel.request('transport.handleAnswer', { transportId: this.id, sdp });
  }

  /** Subscribe: the downlink estimate and what is sent (publish transports report zeros). */
  async getStats(): Promise<TransportStats> {
    if (this.#closed) throw new InvalidStateError(`transport ${this.id} is closed`);
    return this.#ctx.channel.request('transport.getStats', { transportId: this.id });
  }

  /** Idempotent. Closes the peer connection, its producers and consumers. */
  close(): void {
    if (this.#closed) return;
    this.#ctx.channel.notify('transport.close', { transportId: this.id });
    this.#teardown();
    this.emit('close');
  }

  /** @internal */
  routerClosed(): void {
    if (this.#closed) return;
    this.#teardown();
    this.emit('routerclose');
    this.emit('close');
  }

  /** @internal a worker event for this transport */
  handleProducer(info: ProducerInfo): void {
    if (this.#closed) return;
    const producer = new Producer(this.#ctx, this.id, info);
    this.#producers.set(producer.id, producer);
    this.#ctx.producers.set(producer.id, producer);
    producer.on('close', () => this.#producers.delete(producer.id));
    this.emit('producer', producer);
  }

  /** @internal */
  handleConnectionState(state: ConnectionState): void {
    if (this.#closed) return;
    this.#connectionState = state;
    this.emit('connectionstatechange', state);
  }

  #teardown(): void {
    this.#closed = true;
    this.#connectionState = 'closed';
    this.#ctx.transports.delete(this.id);
    for (const producer of [...this.#producers.values()]) producer.transportClosed();
    for (const consumer of [...this.#consumers.values()]) consumer.transportClosed();
    this.#producers.clear();
    this.#consumers.clear();
    this.#onClose(this);
  }

  #assertDirection(direction: TransportDirection): void {
    if (this.#closed) throw new InvalidStateError(`transport ${this.id} is closed`);
    if (this.direction !== direction) {
      throw new SfuError('SFU_ERR_WRONG_DIRECTION', `${this.direction} transport`);
    }
  }
}
