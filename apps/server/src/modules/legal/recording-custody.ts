// What the trust center may ask about cloud recordings (DESIGN.md §8): the inventory held for a
// user (with size and hash, deletions with their audit entry) and preservation holds. The
// recordings module implements it; server.ts injects it, so legal/ never imports recordings/.

export interface RecordingCustodyEntry {
  recordingId: string;
  meetingId: string;
  startedAt: string;
  endedAt: string | null;
  /** "deleted": the files are gone; `deletionAuditEntry` is the account history entry. */
  status: string;
  files: { kind: string; bytes: number; sha256: string }[];
  deletedAt: string | null;
  deletedBy: string | null;
  deletionAuditEntry: number | null;
  /** Requests whose preservation holds it now. */
  heldBy: string[];
}

export interface RecordingCustody {
  /** Recordings of meetings the user owns, including deleted ones. */
  custodyOf(userId: string): Promise<RecordingCustodyEntry[]>;
  /** Holds the users' recordings past retention for a preservation request; returns their ids. */
  placeHolds(requestId: string, userIds: string[]): Promise<string[]>;
  releaseHolds(requestId: string): Promise<string[]>;
}
