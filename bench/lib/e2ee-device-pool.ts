// The bench's side of devices that run in their own worker_threads (e2ee-device-thread.ts):
// the same BenchDeviceApi as a BenchDevice on this thread, over messages.
import { Worker } from 'node:worker_threads';
import type { BenchDeviceApi, JoinSpec, MoveDone } from './e2ee-bench-device';
import type { DeviceReply, DeviceRequest } from './e2ee-device-messages';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export class ThreadDevice implements BenchDeviceApi {
  readonly #worker: Worker;
  readonly #pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void }
  >();
  #next = 1;
  #selfId: string | undefined;

  constructor() {
    this.#worker = new Worker(new URL('./e2ee-device-bootstrap.mjs', import.meta.url), {
      workerData: { entry: new URL('./e2ee-device-thread.ts', import.meta.url).href },
    });
    this.#worker.on('message', (r: DeviceReply) => {
      const p = this.#pending.get(r.id);
      if (!p) return;
      this.#pending.delete(r.id);
      if (r.ok) p.resolve(r.value);
      else p.reject(new Error(r.error));
    });
    const failAll = (err: Error) => {
      for (const p of this.#pending.values()) p.reject(err);
      this.#pending.clear();
    };
    this.#worker.on('error', failAll);
    this.#worker.on('exit', (code) => failAll(new Error(`device thread exited (${code})`)));
  }

  #waiter<T>(id: number): Promise<T> {
    const out = new Promise<T>((resolve, reject) =>
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject }),
    );
    // A failure is reported where the result is awaited, never as an unhandled rejection.
    out.catch(() => undefined);
    return out;
  }

  #call<T>(req: DistributiveOmit<DeviceRequest, 'id'>, id = this.#next++): Promise<T> {
    const out = this.#waiter<T>(id);
    this.#worker.postMessage({ ...req, id });
    return out;
  }

  get selfId(): string {
    if (!this.#selfId) throw new Error('this device has not joined');
    return this.#selfId;
  }

  async join(spec: JoinSpec): Promise<void> {
    this.#selfId = await this.#call<string>({ kind: 'join', spec });
  }

  enable = () => this.#call<void>({ kind: 'enable' });
  waitRoster = (size: number) => this.#call<void>({ kind: 'waitRoster', size });
  spareUploaded = () => this.#call<void>({ kind: 'spareUploaded' });
  sendChat = (text: string) => this.#call<number>({ kind: 'sendChat', text });
  openBreakouts = () => this.#call<number>({ kind: 'openBreakouts' });
  prepareBreakouts = () => this.#call<string | null>({ kind: 'prepareBreakouts' });
  waitPrepared = (planId: string) => this.#call<void>({ kind: 'waitPrepared', planId });
  leave = () => this.#call<void>({ kind: 'leave' });

  async armChat(text: string): Promise<{ shown: Promise<number> }> {
    const doneId = this.#next++;
    const shown = this.#waiter<number>(doneId);
    await this.#call<void>({ kind: 'armChat', doneId, text });
    return { shown };
  }

  async armMove(e2ee: boolean): Promise<{ done: Promise<MoveDone> }> {
    const doneId = this.#next++;
    const done = this.#waiter<MoveDone>(doneId);
    await this.#call<void>({ kind: 'armMove', doneId, e2ee });
    return { done };
  }

  terminate(): Promise<number> {
    return this.#worker.terminate();
  }
}
