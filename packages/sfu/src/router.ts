import { randomUUID } from 'node:crypto';
import type { TransportDirection } from './channel/messages';
import type { WorkerContext } from './context';
import { InvalidStateError } from './errors';
import { Transport } from './transport';
import { TypedEmitter } from './typed-emitter';
import type { AppData } from './types';

export type RouterEvents = {
  /** The worker closed or died. */
  workerclose: [];
  /** Closed for any reason, emitted once, after the specific event. */
  close: [];
};

export interface CreateTransportOptions {
  direction: TransportDirection;
  appData?: AppData;
}

/** One meeting. All its transports live in the same worker, so any consumer can reach any producer. */
export class Router extends TypedEmitter<RouterEvents> {
  readonly id: string;
  appData: AppData;
  readonly #ctx: WorkerContext;
  readonly #transports = new Map<string, Transport>();
  readonly #onClose: (router: Router) => void;
  #closed = false;

  /** @internal created by MediaWorker.createRouter() */
  constructor(ctx: WorkerContext, id: string, appData: AppData, onClose: (router: Router) => void) {
    super();
    this.#ctx = ctx;
    this.id = id;
    this.appData = appData;
    this.#onClose = onClose;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get transports(): ReadonlyMap<string, Transport> {
    return this.#transports;
  }

  async createTransport(options: CreateTransportOptions): Promise<Transport> {
    if (this.#closed) throw new InvalidStateError(`router ${this.id} is closed`);
    if (options.direction !== 'publish' && options.direction !== 'subscribe') {
      throw new TypeError("direction must be 'publish' or 'subscribe'");
    }
    const transport = new Transport(
      this.#ctx,
      {
        id: randomUUID(),
        routerId: this.id,
        direction: options.direction,
        appData: options.appData ?? {},
      },
      (t) => this.#transports.delete(t.id),
    );
    // Registered before the request so no worker event for it can be missed.
    this.#transports.set(transport.id, transport);
    this.#ctx.transports.set(transport.id, transport);
    try {
      await this.#ctx.channel.request('transport.create', {
        routerId: this.id,
        transportId: transport.id,
        direction: options.direction,
      });
    } catch (err) {
      transport.routerClosed();
      throw err;
    }
    if (this.#closed) throw new InvalidStateError(`router ${this.id} is closed`);
    return transport;
  }

  /** Idempotent. Closes every transport (they emit 'routerclose'). */
  close(): void {
    if (this.#closed) return;
    this.#ctx.channel.notify('router.close', { routerId: this.id });
    this.#teardown();
    this.emit('close');
  }

  /** @internal */
  workerClosed(): void {
    if (this.#closed) return;
    this.#teardown();
    this.emit('workerclose');
    this.emit('close');
  }

  #teardown(): void {
    this.#closed = true;
    for (const transport of [...this.#transports.values()]) transport.routerClosed();
    this.#transports.clear();
    this.#onClose(this);
  }
}
