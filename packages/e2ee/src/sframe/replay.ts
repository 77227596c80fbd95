// Sliding replay window per KID. RFC 9605 §9.3 leaves replay protection to the application
// ("an application MAY ... track the CTR values it has seen"); we reject counters already seen
// and counters more than `size` below the highest authenticated counter.

export class ReplayWindow {
  readonly size: number;
  #highest = -1n;
  readonly #seen: Uint8Array;

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1 || size > 1 << 16)
      throw new TypeError('replay window size out of range');
    this.size = size;
    this.#seen = new Uint8Array(size);
  }

  /** True if `ctr` may still be accepted (call before and after authentication). */
  check(ctr: bigint): boolean {
    if (ctr > this.#highest) return true;
    const behind = this.#highest - ctr;
    if (behind >= BigInt(this.size)) return false;
    return this.#seen[Number(ctr % BigInt(this.size))] === 0;
  }

  /** Marks `ctr` as seen; only call after the frame authenticated. */
  mark(ctr: bigint): void {
    const w = BigInt(this.size);
    if (ctr > this.#highest) {
      const ahead = ctr - this.#highest;
      if (ahead >= w || this.#highest < 0n) {
        this.#seen.fill(0);
      } else {
        for (let c = this.#highest + 1n; c <= ctr; c++) this.#seen[Number(c % w)] = 0;
      }
      this.#highest = ctr;
    }
    this.#seen[Number(ctr % w)] = 1;
  }
}
