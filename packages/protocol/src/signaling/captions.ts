import { z } from 'zod';
import { participantIdSchema, requestIdSchema } from './common';

// Live captions (issue 5): the server decodes each speaker's audio and runs a speech recognizer,
// so everyone sees that captions are on, and captions are unavailable while E2EE is on (the
// server cannot and must not hear end-to-end encrypted audio: DESIGN.md §4.1 rule 4).

/** A BCP 47-ish language tag such as "en-US". */
export const captionLanguageSchema = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'Not a language tag (e.g. en-US).')
  .max(35);

export const captionsStateSchema = z.object({
  on: z.boolean(),
  language: captionLanguageSchema.nullable(),
  /** Who turned captions on (shown in the "captions on" indicator). */
  startedBy: z.object({ id: participantIdSchema, name: z.string() }).nullable(),
  /** Whether this server has a speech recognition engine, and why not. */
  available: z.boolean(),
  unavailableReason: z.string().nullable(),
  engine: z.string().nullable(),
  languages: z.array(captionLanguageSchema),
});
export type CaptionsState = z.infer<typeof captionsStateSchema>;

export const captionEntrySchema = z.object({
  id: z.string(),
  participantId: participantIdSchema,
  name: z.string(),
  text: z.string(),
  /** Epoch milliseconds when the utterance was recognised. */
  at: z.number(),
  /** The breakout room it was said in (absent: the main room). */
  room: z.string().optional(),
});
export type CaptionEntry = z.infer<typeof captionEntrySchema>;

export const captionsClientMessages = [
  /** Turn captions on, or change their language (host or whoever turned them on). */
  z.object({
    type: z.literal('captions.start'),
    id: requestIdSchema,
    language: captionLanguageSchema,
  }),
  /** Turn captions off (host or whoever turned them on). */
  z.object({ type: z.literal('captions.stop'), id: requestIdSchema }),
  /** Host: the transcript so far (kept in memory for the meeting's duration only). */
  z.object({ type: z.literal('captions.transcript'), id: requestIdSchema }),
] as const;

export const captionsServerEvents = [
  z.object({
    type: z.literal('captions.state'),
    state: captionsStateSchema,
    /** Why it changed, when it was not a person's choice (e.g. E2EE turned on). */
    notice: z.string().nullable().default(null),
  }),
  z.object({ type: z.literal('captions.text'), entry: captionEntrySchema }),
] as const;
