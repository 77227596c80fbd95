import { z } from 'zod';
import { MEETING_ID_PATTERN } from '../ids';
import type { MeetingId, ParticipantId } from '../ids';

/** Bumped on every incompatible change of the signaling unions. */
export const PROTOCOL_VERSION = 1;

/** Largest signaling frame the server reads; MLS Welcomes for large groups are the biggest. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;

/**
 * Deepest nesting of arrays and objects in a valid client message (codec.test.ts derives the
 * real depth from the schemas); the server refuses deeper frames before parsing them.
 */
export const MAX_NESTING_DEPTH = 8;

export const meetingIdSchema = z
  .string()
  .regex(MEETING_ID_PATTERN)
  .transform((s) => s as MeetingId);
export const participantIdSchema = z
  .string()
  .min(1)
  .max(64)
  .transform((s) => s as ParticipantId);
export const requestIdSchema = z.string().min(1).max(64);
/** Names one subscribe offer; its answer carries it back. */
export const offerIdSchema = z.string().min(1).max(64);
export const displayNameSchema = z
  .string()
  .trim()
  .min(1, 'Enter a name.')
  .max(64, 'Names are at most 64 characters.');
export const sdpSchema = z
  .string()
  .min(10)
  .max(48 * 1024);

export const mediaSourceSchema = z.enum(['microphone', 'camera', 'screen']);
export type MediaSource = z.infer<typeof mediaSourceSchema>;

export const roleSchema = z.enum(['host', 'participant']);
export type Role = z.infer<typeof roleSchema>;

export const participantSchema = z.object({
  id: participantIdSchema,
  displayName: z.string(),
  role: roleSchema,
  audioMuted: z.boolean(),
  videoMuted: z.boolean(),
  /** false while the participant's connection is lost and within the reconnect grace period. */
  connected: z.boolean(),
  /** The client can take part in end-to-end encryption (by feature detection). */
  e2eeCapable: z.boolean(),
  clientLabel: z.string(),
  /** The MLS signature key this device announced when it joined (base64), pinned for its session. */
  mlsSignatureKey: z.string().nullable().default(null),
  /**
   * The account this participant signed in with (null: a guest), as the server says: devices
   * check it against the device key in the participant's MLS credential (trust on first use).
   */
  accountUserId: z.string().nullable().default(null),
  /** No media in or out: in the waiting room, or an unsupported client held out of E2EE. */
  held: z.boolean(),
  /** In the waiting room until the host lets them in (account setting "waiting room"). */
  waiting: z.boolean().default(false),
  /** Sharing a screen, window or tab. */
  sharing: z.boolean(),
  /** Has a hand raised (issue 17). */
  handRaised: z.boolean().default(false),
  /** The host spotlights them: shown large for everyone. */
  spotlight: z.boolean().default(false),
});
export type Participant = z.infer<typeof participantSchema>;
