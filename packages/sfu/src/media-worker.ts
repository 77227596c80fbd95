import { randomUUID } from 'node:crypto';
import type { Worker } from 'node:worker_threads';
import { Channel } from './channel/channel';
import type {
  IceServer,
  WorkerDump,
  WorkerEvent,
  WorkerMessage,
  WorkerSettings,
} from './channel/messages';
import { startWorkerThread } from './channel/spawn';
import type { WorkerContext } from './context';
import { InvalidStateError, SfuError } from './errors';
import type { Producer } from './producer';
import { Router } from './router';
import type { RtpTap } from './rtp-tap';
import type { Transport } from './transport';
import { TypedEmitter } from './typed-emitter';
import type { AppData } from './types';

export interface MediaWorkerOptions {
  /** STUN/TURN servers for the worker's peer connections. Default [] (host candidates only). */
  iceServers?: IceServer[];
  /** Extra host candidate addresses, e.g. ['127.0.0.1'] for loopback. Default []. */
  iceAdditionalHostAddresses?: string[];
  /** Local UDP port range (inclusive). Default: any port. */
  icePortRange?: [number, number];
  /** At most one PLI per producer layer per interval. Default 500 ms. */
  keyframeRequestMinIntervalMs?: number;
  /**
   * A subscriber's own PLIs (its decoder lost a frame): two pass at once, then at most one this
   * often per consumer. Default 3000 ms: loss is repaired by NACK and RTX, and every key frame
   * goes to all the subscribers of that layer.
   */
  subscriberKeyframeRequestMinIntervalMs?: number;
  /** Per-request timeout. Default 30 000 ms. */
  requestTimeoutMs?: number;
  /** Milliseconds to wait for the thread to start. Default 20 000. */
  startTimeoutMs?: number;
  /**
   * TEST ONLY. Producers keep their 64 most recent received payload samples for
   * `Producer.inspectPayloads()` (end-to-end encryption tests use it to show what the server can
   * see). Default false: `inspectPayloads()` rejects with SFU_ERR_INSPECTION_DISABLED. Never
   * enable it in production.
   */
  inspection?: boolean;
  appData?: AppData;
}

export type MediaWorkerEvents = {
  /** The thread exited or crashed without close(); its routers emit 'workerclose'. */
  died: [Error];
  close: [];
};

/** A worker_threads Worker owning werift peer connections. Main-thread objects are proxies. */
export class MediaWorker extends TypedEmitter<MediaWorkerEvents> {
  readonly id = randomUUID();
  /** How the worker seals and opens SRTP with AES-GCM (a native context per key, or node:crypto). */
  readonly srtpAead: 'openssl-context-per-key' | 'node-crypto';
  appData: AppData;
  readonly #thread: Worker;
  readonly #ctx: WorkerContext;
  readonly #routers = new Set<Router>();
  readonly #exited: Promise<void>;
  #closed = false;
  #closing: Promise<void> | undefined;

  private constructor(
    thread: Worker,
    settings: {
      requestTimeoutMs: number;
      appData: AppData;
      srtpAead: 'openssl-context-per-key' | 'node-crypto';
    },
  ) {
    super();
    this.#thread = thread;
    this.srtpAead = settings.srtpAead;
    this.appData = settings.appData;
    this.#ctx = {
      channel: new Channel(thread, settings.requestTimeoutMs, (event) => this.#handleEvent(event)),
      transports: new Map<string, Transport>(),
      producers: new Map<string, Producer>(),
      taps: new Map<string, RtpTap>(),
    };
    thread.on('message', (message: WorkerMessage) => this.#ctx.channel.handleMessage(message));
    this.#exited = new Promise((resolve) => {
      thread.once('exit', (code) => {
        resolve();
        if (!this.#closed) this.#died(new Error(`media worker exited with code ${code}`));
      });
    });
    thread.on('error', (err) => {
      if (!this.#closed) this.#died(err);
    });
  }

  static async create(options: MediaWorkerOptions = {}): Promise<MediaWorker> {
    const settings: WorkerSettings = {
      iceServers: options.iceServers ?? [],
      iceAdditionalHostAddresses: options.iceAdditionalHostAddresses ?? [],
      icePortRange: options.icePortRange,
      keyframeRequestMinIntervalMs: options.keyframeRequestMinIntervalMs ?? 500,
      subscriberKeyframeRequestMinIntervalMs:
        options.subscriberKeyframeRequestMinIntervalMs ?? 3000,
      inspection: options.inspection === true,
    };
    if (!(settings.keyframeRequestMinIntervalMs >= 0)) {
      throw new TypeError('keyframeRequestMinIntervalMs must be >= 0');
    }
    if (!(settings.subscriberKeyframeRequestMinIntervalMs >= 0)) {
      throw new TypeError('subscriberKeyframeRequestMinIntervalMs must be >= 0');
    }
    const thread = await startWorkerThread(settings);
    const srtpAead = await new Promise<'openssl-context-per-key' | 'node-crypto'>(
      (resolve, reject) => {
        const timer = setTimeout(() => {
          cleanup();
          void thread.terminate();
          reject(new SfuError('SFU_ERR_TIMEOUT', 'worker start'));
        }, options.startTimeoutMs ?? 20_000);
        const onMessage = (message: WorkerMessage): void => {
          if (message.kind !== 'ready') return;
          cleanup();
          resolve(message.aead);
        };
        const onError = (err: Error): void => {
          cleanup();
          reject(new SfuError('SFU_ERR_WORKER_DIED', err.message));
        };
        const onExit = (code: number): void => onError(new Error(`exited with code ${code}`));
        const cleanup = (): void => {
          clearTimeout(timer);
          thread.off('message', onMessage).off('error', onError).off('exit', onExit);
        };
        thread.on('message', onMessage).on('error', onError).on('exit', onExit);
      },
    );
    return new MediaWorker(thread, {
      requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
      appData: options.appData ?? {},
      srtpAead,
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The worker thread id (for logs). */
  get threadId(): number {
    return this.#thread.threadId;
  }

  /** Open routers on this worker; WorkerPool uses it as the load measure. */
  get routerCount(): number {
    return this.#routers.size;
  }

  async createRouter(options: { appData?: AppData } = {}): Promise<Router> {
    if (this.#closed) throw new InvalidStateError('media worker is closed');
    const router = new Router(this.#ctx, randomUUID(), options.appData ?? {}, (r) =>
      this.#routers.delete(r),
    );
    this.#routers.add(router);
    try {
      await this.#ctx.channel.request('router.create', { routerId: router.id });
    } catch (err) {
      router.workerClosed();
      throw err;
    }
    return router;
  }

  /** Counts of live objects inside the worker thread (for tests and health checks). */
  async dump(): Promise<WorkerDump> {
    if (this.#closed) throw new InvalidStateError('media worker is closed');
    return this.#ctx.channel.request('worker.dump', {});
  }

  /**
   * Idempotent. Closes every router (they emit 'workerclose'), lets the worker close its peer
   * connections, then stops the thread. Resolves when the thread has exited.
   */
  close(): Promise<void> {
    if (this.#closing) return this.#closing;
    this.#closed = true;
    this.#teardown();
    const channel = this.#ctx.channel;
    this.#closing = channel
      .request('worker.close', {})
      .catch(() => undefined)
      .then(async () => {
        channel.close(new SfuError('SFU_ERR_CLOSED', 'media worker'));
        await this.#thread.terminate();
        await this.#exited;
      });
    this.emit('close');
    return this.#closing;
  }

  #died(err: Error): void {
    this.#closed = true;
    this.#closing = this.#exited;
    this.#ctx.channel.close(new SfuError('SFU_ERR_WORKER_DIED', err.message));
    this.#teardown();
    this.emit('died', err);
    this.emit('close');
  }

  #teardown(): void {
    for (const tap of [...this.#ctx.taps.values()]) tap.closedByWorker();
    for (const router of [...this.#routers]) router.workerClosed();
    this.#routers.clear();
  }

  #handleEvent(event: WorkerEvent): void {
    switch (event.kind) {
      case 'event.producer':
        this.#ctx.transports.get(event.transportId)?.handleProducer(event.producer);
        return;
      case 'event.producerclose':
        this.#ctx.producers.get(event.producerId)?.remoteClosed();
        return;
      case 'event.producerlayers':
        this.#ctx.producers.get(event.producerId)?.layersNeeded(event.layers);
        return;
      case 'event.tap.rtp':
        this.#ctx.taps.get(event.tapId)?.handlePacket(event);
        return;
      case 'event.tapclose':
        this.#ctx.taps.get(event.tapId)?.closedByWorker();
        return;
      case 'event.connectionstatechange':
        this.#ctx.transports.get(event.transportId)?.handleConnectionState(event.state);
        return;
      default: {
        const unreachable: never = event;
        return unreachable;
      }
    }
  }
}
