import { z } from 'zod';
import { meetingIdSchema } from './signaling/common';

// Recordings under /account and /admin (issue 20, DESIGN.md §8): HTTP schemas shared by the
// server and the web app.

/** Days a recording is kept after it is made; null keeps it until someone deletes it. */
export const RETENTION_CHOICES = [7, 30, 90, 365, null] as const;
export const retentionDaysSchema = z.union([
  z.literal(7),
  z.literal(30),
  z.literal(90),
  z.literal(365),
  z.null(),
]);
export type RetentionDays = z.infer<typeof retentionDaysSchema>;

export const recordingSettingsSchema = z
  .object({
    /** The admin's "Allow cloud recording" switch (the plan must include it too). */
    allowCloudRecording: z.boolean(),
    retentionDays: retentionDaysSchema,
  })
  .strict();
export type RecordingSettings = z.infer<typeof recordingSettingsSchema>;
export const recordingSettingsResultSchema = recordingSettingsSchema.extend({
  planIncludesCloudRecording: z.boolean(),
  planIncludesCloudTranscripts: z.boolean(),
});
export const setRecordingSettingsBodySchema = recordingSettingsSchema.partial().strict();

export const RECORDING_STATUSES = ['recording', 'composing', 'ready', 'failed'] as const;
export const recordingStatusSchema = z.enum(RECORDING_STATUSES);
export type RecordingStatus = z.infer<typeof recordingStatusSchema>;

export const RECORDING_FILE_KINDS = ['video', 'audio', 'transcript'] as const;
export const recordingFileKindSchema = z.enum(RECORDING_FILE_KINDS);
export type RecordingFileKind = z.infer<typeof recordingFileKindSchema>;

export const recordingViewSchema = z.object({
  id: z.string(),
  meetingId: meetingIdSchema,
  meetingTitle: z.string().nullable(),
  ownerUserId: z.string().nullable(),
  startedByName: z.string(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  durationSeconds: z.number().nullable(),
  status: recordingStatusSchema,
  /** The server stopped without finishing it (a crash): the files hold what was written. */
  interrupted: z.boolean(),
  /** Why it stopped when no one chose to (e.g. end-to-end encryption was turned on). */
  stopReason: z.string().nullable(),
  /** Composition progress, 0-100, while composing. */
  progress: z.number(),
  error: z.string().nullable(),
  files: z.array(
    z.object({ kind: recordingFileKindSchema, bytes: z.number(), sha256: z.string() }),
  ),
  /** When retention deletes it; null: kept until deleted, or held. */
  deleteAfter: z.string().nullable(),
  /** Kept past retention under a preservation request. */
  held: z.boolean(),
});
export type RecordingView = z.infer<typeof recordingViewSchema>;
export const recordingListResultSchema = z.object({ recordings: z.array(recordingViewSchema) });
export const recordingIdParamsSchema = z.object({ id: z.uuid() }).strict();
export const recordingFileParamsSchema = z
  .object({ id: z.uuid(), kind: recordingFileKindSchema })
  .strict();
export const recordingFileQuerySchema = z
  .object({ download: z.enum(['0', '1']).optional() })
  .strict();
