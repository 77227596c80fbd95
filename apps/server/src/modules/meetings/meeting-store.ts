import type { MeetingId, UnsupportedClientPolicy } from '@conclave/protocol';

/** A meeting as stored. Secrets are stored only as hashes. */
export interface MeetingRecord {
  id: MeetingId;
  passcodeHash: string | null;
  hostKeyHash: string;
  createdAt: Date;
  endedAt: Date | null;
  /** Used for guest meetings; meetings with an account follow the account's settings live. */
  settings: MeetingSettings;
  /** Null for guest meetings (created without signing in). */
  accountId: string | null;
  ownerUserId: string | null;
  title: string | null;
  startsAt: Date | null;
}

/** Settings a meeting runs with: stored for guest meetings, derived from the account otherwise. */
export interface MeetingSettings {
  /** The creator (guest meetings) or the account admin allows E2EE. */
  e2eeAllowed: boolean;
  /** The account's plan includes E2EE; absent for guest meetings, which have no plan. */
  planIncludesE2ee?: boolean;
  /** Guest meetings only: the operator allows E2EE in them (config `meetings.guestE2ee`). */
  operatorAllowsGuestE2ee?: boolean;
  unsupportedClientPolicy: UnsupportedClientPolicy;
  /** Everyone but the host waits until let in (account setting; guest meetings: off). */
  waitingRoom?: boolean;
  /** The plan's participant cap; absent for guest meetings. */
  maxParticipants?: number;
}

export interface MeetingListQuery {
  when: 'upcoming' | 'past';
  now: Date;
  limit: number;
}

/** The storage port of the meetings module; adapters live in storage/ (CONVENTIONS.md rule 8). */
export interface MeetingStore {
  /** Returns false when the id is taken (the caller draws another one). */
  insert(record: MeetingRecord): Promise<boolean>;
  findById(id: MeetingId): Promise<MeetingRecord | undefined>;
  markEnded(id: MeetingId, at: Date): Promise<void>;
  /** Meetings the user owns or co-hosts; upcoming = not ended, past = ended. */
  listForUser(userId: string, query: MeetingListQuery): Promise<MeetingRecord[]>;
  /** Ids of an account's meetings that have not ended (for live settings pushes). */
  openMeetingIdsOfAccount(accountId: string): Promise<MeetingId[]>;
  setCohosts(id: MeetingId, userIds: string[]): Promise<void>;
  cohosts(id: MeetingId): Promise<string[]>;
}
