import { z } from 'zod';
import { participantIdSchema, requestIdSchema } from './common';

// Recording (issue 20, DESIGN.md §8). Cloud recording: the server writes every stream it forwards,
// so it is possible only without end-to-end encryption, on plans that include it, when the account
// admin allows it. Local recording: a participant's own browser records what it shows and plays;
// the server receives nothing but the fact, so everyone sees who records.

const who = z.object({ id: participantIdSchema, name: z.string() });

export const recordingStateSchema = z.object({
  cloud: z.object({
    on: z.boolean(),
    /** Who started it (shown next to the "Recording" indicator). */
    startedBy: who.nullable(),
    /** Epoch milliseconds when it started. */
    startedAt: z.number().nullable(),
    /** Whether the host could start one now, and why not (plan, admin, E2EE, guest meeting). */
    available: z.boolean(),
    unavailableReason: z.string().nullable(),
  }),
  /** Participants recording on their own device right now. */
  local: z.array(who),
  /** The host lets participants record locally (hosts always may). */
  localAllowed: z.boolean(),
});
export type RecordingState = z.infer<typeof recordingStateSchema>;

export const recordingClientMessages = [
  /** Host or co-host: start the cloud recording. */
  z.object({ type: z.literal('recording.start'), id: requestIdSchema }),
  /** Host or co-host: stop it (the composed file is made after the meeting). */
  z.object({ type: z.literal('recording.stop'), id: requestIdSchema }),
  /** This participant started or stopped recording on their device. */
  z.object({ type: z.literal('recording.local'), id: requestIdSchema, recording: z.boolean() }),
  /** Host: let participants record locally, or not (stopping theirs). */
  z.object({ type: z.literal('recording.allowLocal'), id: requestIdSchema, allowed: z.boolean() }),
] as const;

export const recordingServerEvents = [
  z.object({
    type: z.literal('recording.state'),
    state: recordingStateSchema,
    /** Why it changed, when it was not a person's choice (e.g. E2EE turned on). */
    notice: z.string().nullable().default(null),
  }),
] as const;
