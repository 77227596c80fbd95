import type { Worker } from 'node:worker_threads';
import { fromWireError, SfuError } from '../errors';
import type {
  RequestKind,
  RequestParams,
  RequestResult,
  WorkerEvent,
  WorkerMessage,
} from './messages';

interface Pending {
  resolve: (value: unknown) => void;
  reject: (err: SfuError) => void;
  timer: NodeJS.Timeout;
}

/** Main-thread end of the request/response channel to one media worker thread. */
export class Channel {
  readonly #worker: Worker;
  readonly #timeoutMs: number;
  readonly #pending = new Map<number, Pending>();
  readonly #onEvent: (event: WorkerEvent) => void;
  #nextId = 1;
  #closedWith: SfuError | undefined;

  constructor(worker: Worker, timeoutMs: number, onEvent: (event: WorkerEvent) => void) {
    this.#worker = worker;
    this.#timeoutMs = timeoutMs;
    this.#onEvent = onEvent;
  }

  get pendingCount(): number {
    return this.#pending.size;
  }

  request<K extends RequestKind>(kind: K, params: RequestParams<K>): Promise<RequestResult<K>> {
    if (this.#closedWith) return Promise.reject(this.#closedWith);
    const id = this.#nextId++;
    return new Promise<RequestResult<K>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new SfuError('SFU_ERR_TIMEOUT', kind));
      }, this.#timeoutMs);
      timer.unref();
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject, timer });
      this.#worker.postMessage({ ...params, kind, id });
    });
  }

  /** Fire-and-forget variant for close() cascades: failures are expected and ignored. */
  notify<K extends RequestKind>(kind: K, params: RequestParams<K>): void {
    this.request(kind, params).catch(() => undefined);
  }

  handleMessage(message: WorkerMessage): void {
    switch (message.kind) {
      case 'ready':
        return;
      case 'result':
      case 'error': {
        if (message.id === null) return;
        const pending = this.#pending.get(message.id);
        if (!pending) return;
        this.#pending.delete(message.id);
        clearTimeout(pending.timer);
        if (message.kind === 'result') pending.resolve(message.result);
        else pending.reject(fromWireError(message.error));
        return;
      }
      case 'event.producer':
      case 'event.producerclose':
      case 'event.producerlayers':
      case 'event.tap.rtp':
      case 'event.tapclose':
      case 'event.connectionstatechange':
        this.#onEvent(message);
        return;
      default: {
        const unreachable: never = message;
        return unreachable;
      }
    }
  }

  /** Rejects every pending and future request with `err`. */
  close(err: SfuError): void {
    this.#closedWith ??= err;
    for (const [id, pending] of this.#pending) {
      clearTimeout(pending.timer);
      pending.reject(err);
      this.#pending.delete(id);
    }
  }
}
