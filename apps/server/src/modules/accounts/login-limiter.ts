/**
 * Where the one-minute windows are counted: this process's memory by default, Redis when several
 * nodes must share them (a sign-in sprayed over two nodes counts once per attempt, not per node).
 */
export interface WindowCounter {
  /** Adds one to `key`'s count in the window that started with its first count; returns it. */
  increment(key: string, windowMs: number): Promise<number>;
}

/** One process's windows, pruned lazily so memory stays bounded. */
export class MemoryWindowCounter implements WindowCounter {
  readonly #windows = new Map<string, { start: number; count: number }>();
  readonly #now: () => number;
  constructor(now: () => number = Date.now) {
    this.#now = now;
  }
  increment(key: string, windowMs: number): Promise<number> {
    const now = this.#now();
    if (this.#windows.size > 10_000) {
      for (const [k, w] of this.#windows) if (now - w.start >= windowMs) this.#windows.delete(k);
    }
    const w = this.#windows.get(key);
    if (!w || now - w.start >= windowMs) {
      this.#windows.set(key, { start: now, count: 1 });
      return Promise.resolve(1);
    }
    w.count++;
    return Promise.resolve(w.count);
  }
}

/**
 * Sign-in attempts per client address in a fixed one-minute window: it slows password spraying
 * from one address; the per-user lockout (stored) stops guessing one account from many addresses.
 */
export class LoginLimiter {
  readonly #perMinute: number;
  readonly #counter: WindowCounter;

  constructor(perMinute: number, counter: WindowCounter = new MemoryWindowCounter()) {
    this.#perMinute = perMinute;
    this.#counter = counter;
  }

  /** Counts one attempt; false when the address is over its budget. */
  async take(key: string): Promise<boolean> {
    return (await this.#counter.increment(`login:${key}`, 60_000)) <= this.#perMinute;
  }
}
