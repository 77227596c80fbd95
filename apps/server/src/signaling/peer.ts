import type { ServerEvent } from '@conclave/protocol';

/** What the meeting logic may do with a participant's connection. */
export interface SignalingPeer {
  send(event: ServerEvent): void;
  /**
   * Closes the connection after the last event was sent: 1000 (done, the client stays away) by
   * default; 1012 asks the client to reconnect (its meeting moved to another node).
   */
  close(reason: string, code?: number): void;
}
