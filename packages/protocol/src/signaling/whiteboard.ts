import { z } from 'zod';
import { participantIdSchema, requestIdSchema } from './common';

// The shared whiteboard (issue 5): a yjs document synchronised through the server, which keeps
// it for late joiners. While E2EE is on (issue 18) updates are sealed on the devices with a key
// of the MLS epoch: the server keeps and forwards only ciphertext (`whiteboard.sealedUpdate`),
// and a member sends a sealed snapshot of the whole document after each key change, which
// brings late joiners up to date and lets the server drop everything before it (compaction).

/** Largest single yjs update accepted (a long stroke is a few KB). */
export const MAX_WHITEBOARD_UPDATE_B64 = 96 * 1024;

const update = z
  .string()
  .min(4)
  .max(MAX_WHITEBOARD_UPDATE_B64, 'That whiteboard change is too large.')
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'Not base64');

/** Largest sealed snapshot of the whole document (base64); the server's log is capped too. */
export const MAX_WHITEBOARD_SNAPSHOT_B64 = 900 * 1024;
const sealed = z
  .string()
  .min(4)
  .max(MAX_WHITEBOARD_SNAPSHOT_B64, 'That whiteboard change is too large.')
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'Not base64');

export const whiteboardClientMessages = [
  /** E2EE on: an update (or, `snapshot`, the whole document) sealed for the current epoch. */
  z.object({
    type: z.literal('whiteboard.sealedUpdate'),
    id: requestIdSchema,
    sealed,
    snapshot: z.boolean().default(false),
  }),
  z.object({ type: z.literal('whiteboard.update'), id: requestIdSchema, update }),
  /** The whole document so far (late joiners, reconnects). */
  z.object({ type: z.literal('whiteboard.sync'), id: requestIdSchema }),
] as const;

export const whiteboardServerEvents = [
  z.object({ type: z.literal('whiteboard.update'), update: z.string(), from: participantIdSchema }),
  z.object({
    type: z.literal('whiteboard.sealed'),
    sealed: z.string(),
    snapshot: z.boolean(),
    from: participantIdSchema,
  }),
] as const;
