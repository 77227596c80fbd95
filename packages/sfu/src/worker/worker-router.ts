import type { WorkerProducer } from './worker-producer';
import type { WorkerTransport } from './worker-transport';

/** A meeting: the set of transports whose producers can be consumed by each other. */
export class WorkerRouter {
  readonly id: string;
  readonly transports = new Map<string, WorkerTransport>();
  readonly producers = new Map<string, WorkerProducer>();
  readonly #onClose: (router: WorkerRouter) => void;
  #closed = false;

  constructor(id: string, onClose: (router: WorkerRouter) => void) {
    this.id = id;
    this.#onClose = onClose;
  }

  get closed(): boolean {
    return this.#closed;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const transport of [...this.transports.values()]) transport.close();
    this.#onClose(this);
  }
}
