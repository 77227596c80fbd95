/**
 * Coalesces keyframe requests for one producer: at most one `send()` per `minIntervalMs`. A
 * request inside the cooldown schedules exactly one send at the end of it; further requests in
 * the same cooldown are absorbed by that pending send. This is what keeps a receiver that cannot
 * decode (and so sends PLIs continuously) from turning the publisher into a keyframe storm.
 */
export class KeyframeLimiter {
  readonly #minIntervalMs: number;
  readonly #send: () => void;
  readonly #now: () => number;
  #lastSentAt = Number.NEGATIVE_INFINITY;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(
    minIntervalMs: number,
    send: () => void,
    now: () => number = () => performance.now(),
  ) {
    this.#minIntervalMs = minIntervalMs;
    this.#send = send;
    this.#now = now;
  }

  get pending(): boolean {
    return this.#timer !== undefined;
  }

  request(): void {
    if (this.#closed || this.#timer) return;
    const wait = this.#lastSentAt + this.#minIntervalMs - this.#now();
    if (wait <= 0) {
      this.#fire();
      return;
    }
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#fire();
    }, wait);
    this.#timer.unref();
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #fire(): void {
    if (this.#closed) return;
    this.#lastSentAt = this.#now();
    this.#send();
  }
}
