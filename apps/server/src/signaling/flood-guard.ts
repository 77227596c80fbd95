import { ConclaveError } from '@conclave/protocol';

/** What one connection may send (README "Configuration": signaling.*). */
export interface FloodLimits {
  /** Messages per second of a joined participant before RATE_LIMITED replies. */
  maxMessagesPerSecond: number;
  /** Messages per second before joining (a join, a heartbeat, a retry after a wrong passcode). */
  preJoinMessagesPerSecond: number;
  /** Largest frame before joining; a join message is far smaller. */
  preJoinMaxBytes: number;
}

/** A socket sending this many times its rate in one second is flooding, not bursting. */
const FLOOD_FACTOR = 4;

export type FrameVerdict =
  | { kind: 'accept' }
  | { kind: 'rate-limited' }
  | { kind: 'close'; code: number; reason: string; error: ConclaveError };

/**
 * Judges each frame from its length alone, before a byte of it is decoded: oversized frames
 * before joining and floods close the socket; bursts get RATE_LIMITED replies.
 */
export class FloodGuard {
  readonly #limits: FloodLimits;
  readonly #now: () => number;
  #windowStart = 0;
  #windowCount = 0;

  constructor(limits: FloodLimits, now: () => number = Date.now) {
    this.#limits = limits;
    this.#now = now;
  }

  judge(byteLength: number, joined: boolean): FrameVerdict {
    if (!joined && byteLength > this.#limits.preJoinMaxBytes)
      return {
        kind: 'close',
        code: 1009,
        reason: 'message too large before joining',
        error: new ConclaveError(
          'MESSAGE_TOO_LARGE',
          `Before joining, messages are at most ${this.#limits.preJoinMaxBytes} bytes.`,
        ),
      };
    const now = this.#now();
    if (now - this.#windowStart >= 1000) {
      this.#windowStart = now;
      this.#windowCount = 0;
    }
    this.#windowCount++;
    const limit = joined
      ? this.#limits.maxMessagesPerSecond
      : this.#limits.preJoinMessagesPerSecond;
    if (this.#windowCount > limit * FLOOD_FACTOR)
      return {
        kind: 'close',
        code: 1008,
        reason: 'too many messages',
        error: new ConclaveError('RATE_LIMITED', 'Too many messages: the connection is closed.'),
      };
    if (this.#windowCount > limit) return { kind: 'rate-limited' };
    return { kind: 'accept' };
  }
}
