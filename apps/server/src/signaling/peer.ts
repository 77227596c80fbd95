import type { ServerEvent } from '@conclave/protocol';

/** What the meeting logic may do with a participant's connection. */
export interface SignalingPeer {
  send(event: ServerEvent): void;
  /** Closes the connection after the last event was sent. */
  close(reason: string): void;
}
