import type {
  MeetingId,
  RecordingFileKind,
  RecordingSettings,
  RecordingStatus,
} from '@conclave/protocol';

export interface RecordingRecord {
  id: string;
  accountId: string;
  meetingId: MeetingId;
  /** The meeting's owner: the host who finds it under /account. */
  ownerUserId: string | null;
  startedByName: string;
  startedAt: Date;
  endedAt: Date | null;
  status: RecordingStatus;
  interrupted: boolean;
  stopReason: string | null;
  progress: number;
  error: string | null;
  durationMs: number | null;
  /** Kept after deletion (files gone) so a production can say what was deleted, when, by whom. */
  deletedAt: Date | null;
  /** A user id, or "retention" when the scheduler deleted it. */
  deletedBy: string | null;
  /** The admin audit entry of the deletion. */
  deletionAuditSeq: number | null;
}

/** Raw tracks (one per producer, written live) and the composed outputs. */
export type StoredFileKind = 'track' | RecordingFileKind;

export interface RecordingFileRecord {
  id: string;
  recordingId: string;
  kind: StoredFileKind;
  /** Relative to the recordings directory. */
  path: string;
  bytes: number;
  sha256: string;
  /** Tracks: whose and what, and when it started relative to the recording. */
  participantId: string | null;
  participantName: string | null;
  source: 'microphone' | 'camera' | 'screen' | null;
  offsetMs: number;
  /** False until the file was closed cleanly (a crash leaves it false). */
  complete: boolean;
  createdAt: Date;
}

export interface RecordingHold {
  recordingId: string;
  requestId: string;
  placedAt: Date;
  releasedAt: Date | null;
}

export type RecordingPatch = Partial<
  Pick<
    RecordingRecord,
    | 'endedAt'
    | 'status'
    | 'interrupted'
    | 'stopReason'
    | 'progress'
    | 'error'
    | 'durationMs'
    | 'deletedAt'
    | 'deletedBy'
    | 'deletionAuditSeq'
  >
>;

/** The storage port of the recordings module; adapters live in storage/ (CONVENTIONS.md rule 8). */
export interface RecordingStore {
  insert(r: RecordingRecord): Promise<void>;
  update(id: string, patch: RecordingPatch): Promise<void>;
  find(id: string): Promise<RecordingRecord | undefined>;
  /** Not deleted; newest first. */
  listForOwner(userId: string): Promise<RecordingRecord[]>;
  listForAccount(accountId: string): Promise<RecordingRecord[]>;
  /** Including deleted ones (productions list deletions too). */
  listForOwnerIncludingDeleted(userId: string): Promise<RecordingRecord[]>;
  /**
   * Takes, or renews, the right to compose recording `id` (still "composing") until `untilMs`:
   * false while another node's claim has not expired. Several nodes share one database.
   */
  claimComposition(id: string, nodeId: string, nowMs: number, untilMs: number): Promise<boolean>;
  /** Gives up this node's claim (the composition finished or failed). */
  releaseComposition(id: string, nodeId: string): Promise<void>;
  /** Recordings left in `status` (start-up recovery: "recording" after a crash). */
  listByStatus(status: RecordingStatus): Promise<RecordingRecord[]>;
  /** Not deleted, ended before `endedBefore`, of accounts with a retention period. */
  listEndedBefore(endedBefore: Date): Promise<RecordingRecord[]>;

  insertFile(f: RecordingFileRecord): Promise<void>;
  updateFile(
    id: string,
    patch: Pick<RecordingFileRecord, 'bytes' | 'sha256' | 'complete'>,
  ): Promise<void>;
  files(recordingId: string): Promise<RecordingFileRecord[]>;
  deleteFiles(recordingId: string): Promise<void>;
  deleteFile(id: string): Promise<void>;

  settings(accountId: string): Promise<RecordingSettings>;
  saveSettings(accountId: string, s: RecordingSettings): Promise<void>;

  addHold(h: RecordingHold): Promise<void>;
  /** Releases the request's holds; returns the recording ids released. */
  releaseHolds(requestId: string, at: Date): Promise<string[]>;
  /** Holds in force (not released) on a recording. */
  activeHolds(recordingId: string): Promise<RecordingHold[]>;
}

export const DEFAULT_RECORDING_SETTINGS: RecordingSettings = {
  allowCloudRecording: false,
  retentionDays: 30,
};
