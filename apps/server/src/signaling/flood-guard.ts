import { ConclaveError, MAX_MESSAGE_BYTES } from '@conclave/protocol';
import type { WebSocket } from 'ws';

/**
 * Largest frame a joined participant's socket reads: a little above the protocol limit, so a
 * slightly oversized message gets a typed MESSAGE_TOO_LARGE reply; larger closes (1009).
 */
export const JOINED_MAX_FRAME_BYTES = MAX_MESSAGE_BYTES + 64 * 1024;

/**
 * Caps the frames one socket reads, checked by ws against each frame's length header before a
 * byte of its payload is buffered: an oversized frame closes the socket (1009) and the rest of
 * what the peer sends is discarded unread. ws has one `maxPayload` per server, so the cap of one
 * socket is set on its receiver (ws 8 `Receiver#_maxPayload`, receiver.js `haveLength`); if a
 * later ws renames it, FloodGuard's length check still refuses the frame, only after reading it.
 */
export function capFrameBytes(socket: WebSocket, bytes: number): boolean {
  const receiver = (socket as unknown as { _receiver?: { _maxPayload?: unknown } })._receiver;
  if (!receiver || typeof receiver._maxPayload !== 'number') return false;
  receiver._maxPayload = bytes;
  return true;
}

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
