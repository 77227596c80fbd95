/**
 * Coalesces keyframe requests: at most `burst` sends at once, then one per `minIntervalMs` (a
 * token bucket of `burst` tokens refilled at one per interval; burst 1: at most one send per
 * interval). A request with no token left schedules exactly one send for when the next token is
 * there; further requests meanwhile are absorbed by that pending send. This is what keeps a
 * receiver that cannot decode (and so sends PLIs continuously) from turning the publisher into a
 * keyframe storm.
 */
export class KeyframeLimiter {
  readonly #minIntervalMs: number;
  readonly #burst: number;
  readonly #send: () => void;
  readonly #now: () => number;
  #tokens: number;
  #refilledAt: number;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(
    minIntervalMs: number,
    send: () => void,
    now: () => number = () => performance.now(),
    burst = 1,
  ) {
    this.#minIntervalMs = minIntervalMs;
    this.#burst = Math.max(1, burst);
    this.#send = send;
    this.#now = now;
    this.#tokens = this.#burst;
    this.#refilledAt = now();
  }

  get pending(): boolean {
    return this.#timer !== undefined;
  }

  request(): void {
    if (this.#closed || this.#timer) return;
    this.#refill();
    if (this.#tokens >= 1) {
      this.#fire();
      return;
    }
    const wait = (1 - this.#tokens) * this.#minIntervalMs;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#refill();
      this.#fire();
    }, wait);
    this.#timer.unref();
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #refill(): void {
    const t = this.#now();
    const earned =
      this.#minIntervalMs > 0 ? (t - this.#refilledAt) / this.#minIntervalMs : Infinity;
    this.#tokens = Math.min(this.#burst, this.#tokens + earned);
    this.#refilledAt = t;
  }

  #fire(): void {
    if (this.#closed) return;
    this.#tokens = Math.max(0, this.#tokens - 1);
    this.#send();
  }
}
