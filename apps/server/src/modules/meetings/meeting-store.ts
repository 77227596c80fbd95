import type { MeetingId, UnsupportedClientPolicy } from '@conclave/protocol';

/** A meeting as stored. Secrets are stored only as hashes. */
export interface MeetingRecord {
  id: MeetingId;
  passcodeHash: string | null;
  hostKeyHash: string;
  createdAt: Date;
  endedAt: Date | null;
  settings: MeetingSettings;
}

/** Settings a meeting runs with; the accounts issue derives them from the account and plan. */
export interface MeetingSettings {
  /** The plan includes E2EE and the admin allows it. */
  e2eeAllowed: boolean;
  unsupportedClientPolicy: UnsupportedClientPolicy;
}

/** The storage port of the meetings module; adapters live in storage/ (CONVENTIONS.md rule 8). */
export interface MeetingStore {
  /** Returns false when the id is taken (the caller draws another one). */
  insert(record: MeetingRecord): Promise<boolean>;
  findById(id: MeetingId): Promise<MeetingRecord | undefined>;
  markEnded(id: MeetingId, at: Date): Promise<void>;
}
