/** What the UI shows about the connection; always the true state, never optimistic. */
export type ConnectionState =
  | { status: 'idle' }
  | { status: 'connecting' }
  | { status: 'connected' }
  /** Lost; retrying automatically. `nextRetryAt` drives the visible countdown. */
  | { status: 'reconnecting'; attempt: number; nextRetryAt: number; giveUpAt: number }
  /** Gave up retrying; the user may press Retry. */
  | { status: 'disconnected'; message: string }
  | { status: 'left' }
  | { status: 'removed' }
  | { status: 'ended' };

/** Delay before reconnect attempt n (1-based): 1 s, 2 s, 4 s, then every 5 s. */
export function reconnectDelayMs(attempt: number): number {
  return Math.min(1000 * 2 ** (attempt - 1), 5000);
}
