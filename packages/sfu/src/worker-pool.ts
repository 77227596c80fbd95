import { availableParallelism } from 'node:os';
import { InvalidStateError } from './errors';
import { MediaWorker, type MediaWorkerOptions } from './media-worker';
import type { Router } from './router';
import type { AppData } from './types';

/**
 * N media workers (default: one per core) and a least-loaded pick. A router is pinned to the
 * worker that created it; load is the number of open routers. A dead worker is replaced.
 */
export class WorkerPool {
  readonly #options: MediaWorkerOptions;
  readonly #workers: MediaWorker[];
  #closed = false;

  private constructor(workers: MediaWorker[], options: MediaWorkerOptions) {
    this.#workers = workers;
    this.#options = options;
    for (const worker of workers) this.#watch(worker);
  }

  static async create(options: MediaWorkerOptions & { size?: number } = {}): Promise<WorkerPool> {
    const { size = availableParallelism(), ...workerOptions } = options;
    if (!Number.isInteger(size) || size < 1) throw new TypeError('size must be a positive integer');
    const workers = await Promise.all(
      Array.from({ length: size }, () => MediaWorker.create(workerOptions)),
    );
    return new WorkerPool(workers, workerOptions);
  }

  get workers(): readonly MediaWorker[] {
    return this.#workers;
  }

  /** The open worker with the fewest routers. */
  pick(): MediaWorker {
    if (this.#closed) throw new InvalidStateError('worker pool is closed');
    let best: MediaWorker | undefined;
    for (const worker of this.#workers) {
      if (worker.closed) continue;
      if (!best || worker.routerCount < best.routerCount) best = worker;
    }
    if (!best) throw new InvalidStateError('no media worker is available');
    return best;
  }

  createRouter(options: { appData?: AppData } = {}): Promise<Router> {
    return this.pick().createRouter(options);
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#workers.map((w) => w.close()));
  }

  #watch(worker: MediaWorker): void {
    worker.once('died', () => {
      if (this.#closed) return;
      MediaWorker.create(this.#options).then(
        (replacement) => {
          const index = this.#workers.indexOf(worker);
          if (this.#closed) {
            void replacement.close();
            return;
          }
          if (index >= 0) this.#workers[index] = replacement;
          this.#watch(replacement);
        },
        () => undefined,
      );
    });
  }
}
