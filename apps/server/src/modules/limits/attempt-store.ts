/**
 * Where failed attempts are counted (passcode guesses today; sign-ins may follow). A port, so
 * that a multi-node deployment can keep the counts in Redis (DESIGN.md §7) while one process
 * keeps them in memory.
 */
export interface AttemptRecord {
  /** Failed attempts since the record was created. */
  failures: number;
  /** When the last failure was recorded (ms since the epoch). */
  lastFailureAt: number;
}

export interface AttemptStore {
  /** The key's record, or undefined when it has none or it was forgotten. */
  get(key: string): Promise<AttemptRecord | undefined>;
  /**
   * Adds one failure at `at` and returns the new record. Atomic per key (Redis: HINCRBY and
   * HSET in one MULTI). The record is forgotten `forgetAfterMs` after its last failure.
   */
  addFailure(key: string, at: number, forgetAfterMs: number): Promise<AttemptRecord>;
}

/** One process's counts. Forgotten records are swept lazily, so memory stays bounded. */
export class MemoryAttemptStore implements AttemptStore {
  readonly #records = new Map<string, AttemptRecord & { expiresAt: number }>();
  readonly #now: () => number;
  readonly #maxKeys: number;

  constructor(now: () => number = Date.now, maxKeys = 100_000) {
    this.#now = now;
    this.#maxKeys = maxKeys;
  }

  get(key: string): Promise<AttemptRecord | undefined> {
    const r = this.#records.get(key);
    if (!r) return Promise.resolve(undefined);
    if (r.expiresAt <= this.#now()) {
      this.#records.delete(key);
      return Promise.resolve(undefined);
    }
    return Promise.resolve({ failures: r.failures, lastFailureAt: r.lastFailureAt });
  }

  addFailure(key: string, at: number, forgetAfterMs: number): Promise<AttemptRecord> {
    const now = this.#now();
    if (this.#records.size >= this.#maxKeys) this.#sweep(now);
    const old = this.#records.get(key);
    const failures = old && old.expiresAt > now ? old.failures + 1 : 1;
    this.#records.set(key, { failures, lastFailureAt: at, expiresAt: at + forgetAfterMs });
    return Promise.resolve({ failures, lastFailureAt: at });
  }

  get size(): number {
    return this.#records.size;
  }

  #sweep(now: number): void {
    for (const [key, r] of this.#records) if (r.expiresAt <= now) this.#records.delete(key);
    // Still full: drop the oldest (Map keeps insertion order), never grow without bound.
    for (const key of this.#records.keys()) {
      if (this.#records.size < this.#maxKeys) break;
      this.#records.delete(key);
    }
  }
}
