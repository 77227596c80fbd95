// One meeting device of the issue 18 feature bench (bench/e2ee-features.ts): a Node bot with real
// signaling and real MLS, and the few things the bench asks of it. It runs either on the bench's
// own thread (every device on one thread) or alone in a worker_thread (e2ee-device-thread.ts),
// so that devices work in parallel as real ones do. Times are process.hrtime in ms: one monotonic
// clock shared by every thread of the process, so a send on one thread and a display on another
// can be subtracted.
import { readFileSync } from 'node:fs';
import type { Bot } from '../../test/support/bots';
import { joinBot, waitForView } from '../../test/support/bots';

/** Now, in ms on the clock every thread of this process shares. */
export const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;

/** A step that never settles (a spare upload, a move) stops the bench with a reason. */
const STEP_TIMEOUT_MS = 60_000;

function settlesWithin<T>(step: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} in ${ms / 1000} s`)), ms);
    step.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}

export interface JoinSpec {
  url: string;
  meetingId: string;
  name: string;
  hostKey?: string;
}

/**
 * This thread's time on a CPU and waiting for one (Linux schedstat: ns on the CPU, ns runnable
 * but waiting in a run queue); undefined where the kernel does not say.
 */
export function threadCpu(): { cpuMs: number; waitMs: number } | undefined {
  try {
    const [cpu, wait] = readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ').map(Number);
    return cpu === undefined || wait === undefined
      ? undefined
      : { cpuMs: cpu / 1e6, waitMs: wait / 1e6 };
  } catch {
    return undefined;
  }
}

/** A device is in its breakout room (and, under E2EE, in that room's MLS group). */
export interface MoveDone {
  at: number;
  /** ms from this device's own `breakout.moved` to `at` (its own part of the move). */
  afterMovedMs: number;
  /**
   * This thread's CPU time and run-queue wait between arming and done (meaningful for a device
   * alone on its thread; NaN where unknown).
   */
  cpuMs: number;
  waitMs: number;
}

/** What the bench asks of a device, the same whether it runs here or in its own thread. */
export interface BenchDeviceApi {
  readonly selfId: string;
  enable(): Promise<void>;
  waitRoster(size: number): Promise<void>;
  spareUploaded(): Promise<void>;
  /** Armed when this resolves; `shown` settles with the time `text` is displayed here. */
  armChat(text: string): Promise<{ shown: Promise<number> }>;
  /** The time just before the message is handed to the client. */
  sendChat(text: string): Promise<number>;
  /** Armed when this resolves; `done` settles when this device is in its room (and group). */
  armMove(e2ee: boolean): Promise<{ done: Promise<MoveDone> }>;
  /** The time just before the host's request goes out. */
  openBreakouts(): Promise<number>;
  /** Host: the same rooms as `openBreakouts`, planned first (as the panel does); the plan id. */
  prepareBreakouts(): Promise<string | null>;
  /** Settles once this device holds its pending group of `planId` and its next spare is up. */
  waitPrepared(planId: string): Promise<void>;
  leave(): Promise<void>;
}

const BENCH_ROOMS = [{ name: 'A' }, { name: 'B' }];

export class BenchDevice implements BenchDeviceApi {
  readonly #bot: Bot;

  private constructor(bot: Bot) {
    this.#bot = bot;
  }

  static async join(spec: JoinSpec): Promise<BenchDevice> {
    const bot = await joinBot(spec.url, spec.meetingId, spec.name, spec.hostKey);
    return new BenchDevice(bot);
  }

  get selfId(): string {
    return this.#bot.room.selfId!;
  }

  async enable(): Promise<void> {
    await this.#bot.room.e2ee.enable();
  }

  async waitRoster(size: number): Promise<void> {
    await waitForView(this.#bot, (v) => v.local?.roster.length === size, 60_000);
  }

  async spareUploaded(): Promise<void> {
    await settlesWithin(
      this.#bot.room.e2ee.spareUploaded,
      STEP_TIMEOUT_MS,
      'no spare KeyPackage uploaded',
    );
  }

  async armChat(text: string): Promise<{ shown: Promise<number> }> {
    const shown = new Promise<number>((resolve) => {
      const off = this.#bot.room.on('chat', ({ messages }) => {
        if (!messages.some((x) => x.text === text)) return;
        const at = nowMs();
        off();
        resolve(at);
      });
    });
    return { shown };
  }

  async sendChat(text: string): Promise<number> {
    const t0 = nowMs();
    await this.#bot.room.sendChat(text, null);
    return t0;
  }

  async armMove(e2ee: boolean): Promise<{ done: Promise<MoveDone> }> {
    const room = this.#bot.room;
    const before = threadCpu();
    let movedAt = NaN;
    const moved = new Promise<string[] | null>((resolve) => {
      const off = room.on('breakoutMoved', (name, members) => {
        if (name === null) return;
        movedAt = nowMs();
        off();
        resolve(members);
      });
    });
    const done = settlesWithin(moved, STEP_TIMEOUT_MS, `${this.#bot.name}: no breakout.moved`)
      .then(async (members) => {
        if (!e2ee) return;
        // In its room's MLS group, with that room's roster: able to open the room's frames. The
        // room's people are those its move named (the device checked the group against them;
        // it leaves the group should the later breakout.state differ), else the state's.
        const mine = () => room.breakouts.assignments[room.selfId!];
        const roomSize = () =>
          members?.length ??
          Object.values(room.breakouts.assignments).filter((r) => r === mine()).length;
        await waitForView(
          this.#bot,
          (v) => v.local?.inGroup === true && v.local.roster.length === roomSize(),
          60_000,
        );
      })
      .then(() => {
        const at = nowMs();
        const after = threadCpu();
        const cpuMs = after && before ? after.cpuMs - before.cpuMs : NaN;
        const waitMs = after && before ? after.waitMs - before.waitMs : NaN;
        return { at, afterMovedMs: at - movedAt, cpuMs, waitMs };
      });
    return { done };
  }

  async openBreakouts(): Promise<number> {
    const t0 = nowMs();
    await this.#bot.room.openBreakouts({ rooms: BENCH_ROOMS });
    return t0;
  }

  async prepareBreakouts(): Promise<string | null> {
    return this.#bot.room.prepareBreakouts({ rooms: BENCH_ROOMS });
  }

  async waitPrepared(planId: string): Promise<void> {
    const e2ee = this.#bot.room.e2ee;
    if (e2ee.prepared?.readyPlan !== planId)
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no prepared group in 60 s')), 60_000);
        const off = e2ee.on('prepared', (id) => {
          if (id !== planId) return;
          clearTimeout(timer);
          off();
          resolve();
        });
      });
    await settlesWithin(e2ee.spareUploaded, STEP_TIMEOUT_MS, 'no spare KeyPackage uploaded');
  }

  async leave(): Promise<void> {
    await this.#bot.room.leave();
  }
}
