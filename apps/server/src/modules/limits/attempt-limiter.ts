import type { AttemptRecord, AttemptStore } from './attempt-store';

export interface AttemptPolicy {
  /** Failures allowed without any wait. */
  freeFailures: number;
  /** The wait after the first failure beyond the free ones; it doubles with each further one. */
  baseDelayMs: number;
  /** The wait never grows beyond this. */
  maxDelayMs: number;
  /** A key with no failure for this long starts again from zero. */
  forgetAfterMs: number;
}

/**
 * Growing delays on failed attempts: `freeFailures` at no cost, then each failure makes the next
 * attempt wait `baseDelayMs · 2^k`, capped at `maxDelayMs`. An attempt while the key must wait is
 * refused without being tried (and without counting), so an attacker pays in time, not the
 * server in CPU.
 */
export class AttemptLimiter {
  readonly #store: AttemptStore;
  readonly #policy: AttemptPolicy;
  readonly #now: () => number;

  constructor(store: AttemptStore, policy: AttemptPolicy, now: () => number = Date.now) {
    this.#store = store;
    this.#policy = policy;
    this.#now = now;
  }

  /** Milliseconds until `key` may try again; 0 when it may try now. */
  async waitMs(key: string): Promise<number> {
    const record = await this.#store.get(key);
    return record ? Math.max(0, this.#readyAt(record) - this.#now()) : 0;
  }

  /** Counts a failure; returns the wait it imposes on the key's next attempt. */
  async fail(key: string): Promise<number> {
    const now = this.#now();
    const record = await this.#store.addFailure(key, now, this.#policy.forgetAfterMs);
    return Math.max(0, this.#readyAt(record) - now);
  }

  #readyAt(r: AttemptRecord): number {
    const over = r.failures - this.#policy.freeFailures;
    if (over <= 0) return 0;
    const delay = Math.min(this.#policy.maxDelayMs, this.#policy.baseDelayMs * 2 ** (over - 1));
    return r.lastFailureAt + delay;
  }
}
