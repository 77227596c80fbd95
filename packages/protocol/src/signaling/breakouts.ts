import { z } from 'zod';
import { participantIdSchema, requestIdSchema } from './common';

// Breakout rooms (issue 5): each room is its own media room in the SFU (a router of its own).
// Server-run, so unavailable while E2EE is on (DESIGN.md §4.1 rule 4).

export const MAX_BREAKOUT_ROOMS = 20;

export const breakoutStateSchema = z.object({
  status: z.enum(['none', 'open', 'closing']),
  rooms: z.array(z.object({ id: z.string(), name: z.string() })),
  /** participant id -> room id; participants not listed are in the main room. */
  assignments: z.record(z.string(), z.string()),
  /** When the rooms close by themselves (ms since epoch), if a timer was set. */
  endsAt: z.number().nullable(),
  /** While closing: when everyone is brought back. */
  closingAt: z.number().nullable(),
});
export type BreakoutState = z.infer<typeof breakoutStateSchema>;

export const breakoutClientMessages = [
  z.object({
    type: z.literal('breakout.open'),
    id: requestIdSchema,
    rooms: z
      .array(z.object({ name: z.string().trim().min(1).max(40) }))
      .min(1)
      .max(MAX_BREAKOUT_ROOMS),
    /** participant id -> room index; anyone left out is assigned automatically (round robin). */
    assignments: z
      .record(
        z.string(),
        z
          .number()
          .int()
          .min(0)
          .max(MAX_BREAKOUT_ROOMS - 1),
      )
      .default({}),
    /** Only the listed participants move; the others stay in the main room. */
    manualOnly: z.boolean().default(false),
    durationMinutes: z.number().int().min(1).max(240).nullable().default(null),
  }),
  /** Host: move one participant to a room (index) or back to the main room (null). */
  z.object({
    type: z.literal('breakout.move'),
    id: requestIdSchema,
    participantId: participantIdSchema,
    roomIndex: z
      .number()
      .int()
      .min(0)
      .max(MAX_BREAKOUT_ROOMS - 1)
      .nullable(),
  }),
  z.object({
    type: z.literal('breakout.broadcast'),
    id: requestIdSchema,
    text: z.string().trim().min(1).max(500),
  }),
  z.object({
    type: z.literal('breakout.close'),
    id: requestIdSchema,
    countdownSeconds: z.number().int().min(0).max(120).default(10),
  }),
  /** A participant in a breakout room asks the host for help. */
  z.object({ type: z.literal('breakout.help'), id: requestIdSchema }),
  /**
   * Host or co-host: visit a breakout room (index) or return to the main room (null). Their media
   * moves like a moved participant's (`breakout.moved` follows); host powers stay. Anyone else
   * gets `NOT_HOST`; an index with no room gets `BREAKOUT_ROOM_NOT_FOUND`.
   */
  z.object({
    type: z.literal('breakout.join'),
    id: requestIdSchema,
    roomIndex: z
      .number()
      .int()
      .min(0)
      .max(MAX_BREAKOUT_ROOMS - 1)
      .nullable(),
  }),
] as const;

export const breakoutServerEvents = [
  z.object({ type: z.literal('breakout.state'), state: breakoutStateSchema }),
  /** You were moved: rebuild media (new transports on the room's router). */
  z.object({
    type: z.literal('breakout.moved'),
    roomName: z.string().nullable(),
    /**
     * Under E2EE, into a breakout room: the people in that room (you too) once this move, or the
     * rooms opening it is part of, is done; the `breakout.state` that follows must say the same.
     * A device promotes the group prepared for its room against this list (issue 18), so it
     * need not wait for every other move; it refuses the group if the state then disagrees.
     */
    members: z.array(participantIdSchema).max(1000).optional(),
  }),
  z.object({ type: z.literal('breakout.message'), text: z.string(), fromName: z.string() }),
  z.object({
    type: z.literal('breakout.helpRequested'),
    participantId: participantIdSchema,
    displayName: z.string(),
    roomName: z.string(),
    /** The room's index, for `breakout.join`. */
    roomIndex: z.number().int().min(0),
  }),
] as const;
