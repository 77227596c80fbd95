/**
 * Sign-in attempts per client address in a fixed one-minute window, in memory: it slows
 * password spraying from one address; the per-user lockout (stored) stops guessing one account
 * from many addresses.
 */
export class LoginLimiter {
  readonly #perMinute: number;
  readonly #windows = new Map<string, { start: number; count: number }>();
  readonly #now: () => number;

  constructor(perMinute: number, now: () => number = Date.now) {
    this.#perMinute = perMinute;
    this.#now = now;
  }

  /** Counts one attempt; false when the address is over its budget. */
  take(key: string): boolean {
    const now = this.#now();
    if (this.#windows.size > 10_000) this.#prune(now);
    const w = this.#windows.get(key);
    if (!w || now - w.start >= 60_000) {
      this.#windows.set(key, { start: now, count: 1 });
      return true;
    }
    w.count++;
    return w.count <= this.#perMinute;
  }

  #prune(now: number): void {
    for (const [key, w] of this.#windows) if (now - w.start >= 60_000) this.#windows.delete(key);
  }
}
