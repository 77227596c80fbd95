import { z } from 'zod';
import { participantIdSchema, requestIdSchema } from './common';

// The shared whiteboard (issue 5): a yjs document synchronised through the server, which keeps
// it for late joiners. Server-held, so frozen read-only while E2EE is on (DESIGN.md §4.1 rule 4).

/** Largest single yjs update accepted (a long stroke is a few KB). */
export const MAX_WHITEBOARD_UPDATE_B64 = 96 * 1024;

const update = z
  .string()
  .min(4)
  .max(MAX_WHITEBOARD_UPDATE_B64, 'That whiteboard change is too large.')
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'Not base64');

export const whiteboardClientMessages = [
  z.object({ type: z.literal('whiteboard.update'), id: requestIdSchema, update }),
  /** The whole document so far (late joiners, reconnects). */
  z.object({ type: z.literal('whiteboard.sync'), id: requestIdSchema }),
] as const;

export const whiteboardServerEvents = [
  z.object({ type: z.literal('whiteboard.update'), update: z.string(), from: participantIdSchema }),
] as const;
