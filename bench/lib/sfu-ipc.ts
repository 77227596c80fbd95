/**
 * IPC between bench/sfu-forwarding.bench.ts (the orchestrator) and its children:
 * bench/lib/sfu-loadgen.ts (werift clients) and bench/lib/conclave-host.ts (Conclave's SFU).
 */
import { fork, type ChildProcess } from 'node:child_process';

export interface LoadCounters {
  /** RTP packets written by the publishers. */
  sent: number;
  /** RTP packets received by the subscribers. */
  received: number;
  /** Packets the subscribers saw missing from the sequence numbers. */
  lost: number;
}

export type LoadRequest =
  | { kind: 'publish'; publishers: number }
  | { kind: 'publishAnswers'; answers: string[] }
  | { kind: 'subscribe'; offers: string[] }
  | { kind: 'waitConnected' }
  | { kind: 'start'; audioPps: number; videoPps: number }
  | { kind: 'stop' }
  | { kind: 'counters' }
  | { kind: 'exit' };

export type HostRequest =
  | { kind: 'publish'; offers: string[] }
  | { kind: 'subscribe'; subscribers: number }
  | { kind: 'subscribeAnswers'; answers: string[] }
  | { kind: 'exit' };

export type LoadResponse = { offers: string[] } | { answers: string[] } | LoadCounters | null;

export interface Envelope<R> {
  id: number;
  request: R;
}

export interface Reply {
  id: number;
  result?: unknown;
  error?: string;
}

/** Serves requests arriving over process IPC (in a child). */
export const serve = <R>(handle: (request: R) => Promise<unknown>): void => {
  process.on('message', (envelope: Envelope<R>) => {
    handle(envelope.request).then(
      (result) => process.send!({ id: envelope.id, result: result ?? null } satisfies Reply),
      (err: unknown) => process.send!({ id: envelope.id, error: String(err) } satisfies Reply),
    );
  });
};

/** A forked child answering typed requests (`node --import tsx` for a .ts module). */
export class Child<R> {
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, (reply: Reply) => void>();
  readonly #exited: Promise<void>;
  #nextId = 1;

  constructor(module: URL, execArgv: string[] = []) {
    const tsx = module.pathname.endsWith('.ts') ? ['--import', 'tsx'] : [];
    this.#child = fork(module, { execArgv: [...tsx, ...execArgv], stdio: 'inherit' });
    this.#child.on('message', (reply: Reply) => {
      this.#pending.get(reply.id)?.(reply);
      this.#pending.delete(reply.id);
    });
    this.#exited = new Promise((resolve) => this.#child.once('exit', () => resolve()));
  }

  get pid(): number {
    return this.#child.pid!;
  }

  async call<T>(request: R): Promise<T> {
    const id = this.#nextId++;
    const reply = await new Promise<Reply>((resolve) => {
      this.#pending.set(id, resolve);
      this.#child.send({ id, request } satisfies Envelope<R>);
    });
    if (reply.error !== undefined) throw new Error(reply.error);
    return reply.result as T;
  }

  /** Asks the child to exit (it answers `exit`, then exits); kills it after 5 s. */
  async exit(): Promise<void> {
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), 5000);
    await this.call({ kind: 'exit' } as R).catch(() => {});
    await this.#exited;
    clearTimeout(timer);
  }
}
