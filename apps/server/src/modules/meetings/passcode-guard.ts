import { ConclaveError } from '@conclave/protocol';
import { AttemptLimiter } from '../limits/attempt-limiter';
import type { AttemptPolicy } from '../limits/attempt-limiter';
import type { AttemptStore } from '../limits/attempt-store';
import { MemoryAttemptStore } from '../limits/attempt-store';

export interface PasscodeLimits {
  /** Wrong passcodes one client address may send (to any meeting) before delays start. */
  freePerAddress: number;
  /** Wrong passcodes one meeting may receive (from anyone) before delays start. */
  freePerMeeting: number;
  /** The longest wait; waits start at 1 s and double. */
  maxDelayMs: number;
}

export const DEFAULT_PASSCODE_LIMITS: PasscodeLimits = {
  freePerAddress: 5,
  freePerMeeting: 20,
  maxDelayMs: 5 * 60_000,
};

const policy = (free: number, maxDelayMs: number): AttemptPolicy => ({
  freeFailures: free,
  baseDelayMs: 1000,
  maxDelayMs,
  forgetAfterMs: Math.max(60 * 60_000, 2 * maxDelayMs),
});

/**
 * Limits passcode guessing per client address and per meeting, with growing delays. Checked
 * before the key derivation runs: a refused attempt costs the server a map lookup, not a scrypt.
 */
export class PasscodeGuard {
  readonly #perAddress: AttemptLimiter;
  readonly #perMeeting: AttemptLimiter;

  constructor(
    limits: PasscodeLimits = DEFAULT_PASSCODE_LIMITS,
    store: AttemptStore = new MemoryAttemptStore(),
    now: () => number = Date.now,
  ) {
    this.#perAddress = new AttemptLimiter(
      store,
      policy(limits.freePerAddress, limits.maxDelayMs),
      now,
    );
    this.#perMeeting = new AttemptLimiter(
      store,
      policy(limits.freePerMeeting, limits.maxDelayMs),
      now,
    );
  }

  /** Throws PASSCODE_ATTEMPTS_EXCEEDED while the meeting or the address must wait. */
  async check(meetingId: string, address: string | undefined): Promise<void> {
    const waits = await Promise.all([
      this.#perMeeting.waitMs(`passcode:meeting:${meetingId}`),
      address ? this.#perAddress.waitMs(`passcode:address:${address}`) : 0,
    ]);
    const wait = Math.max(...waits);
    if (wait > 0) throw exceeded(wait);
  }

  /** Counts a wrong passcode; returns the error to answer (with the wait it now imposes). */
  async failed(meetingId: string, address: string | undefined): Promise<ConclaveError> {
    const waits = await Promise.all([
      this.#perMeeting.fail(`passcode:meeting:${meetingId}`),
      address ? this.#perAddress.fail(`passcode:address:${address}`) : 0,
    ]);
    const wait = Math.max(...waits);
    if (wait <= 0) return new ConclaveError('PASSCODE_WRONG');
    const seconds = Math.ceil(wait / 1000);
    return new ConclaveError(
      'PASSCODE_WRONG',
      `The passcode is wrong. Try again in ${plural(seconds)}.`,
      { retryAfterSeconds: seconds },
    );
  }
}

function exceeded(waitMs: number): ConclaveError {
  const seconds = Math.ceil(waitMs / 1000);
  return new ConclaveError(
    'PASSCODE_ATTEMPTS_EXCEEDED',
    `Too many wrong passcodes. Try again in ${plural(seconds)}.`,
    { retryAfterSeconds: seconds },
  );
}

function plural(seconds: number): string {
  if (seconds >= 120) return `${Math.ceil(seconds / 60)} minutes`;
  return seconds === 1 ? '1 second' : `${seconds} seconds`;
}
