import type { ReportData, SnapshotMeta } from '@conclave/protocol';
import type { CountedFacts } from '../legal/counted-facts';
import type { LegalStore } from '../legal/legal-store';
import type { ReportGroup, ReportInput } from './counting';

// The transparency module's storage port (CONVENTIONS.md rule 8).

export interface SnapshotRecord extends SnapshotMeta {
  data: ReportData;
}

export interface TransparencyStore {
  /** Requests received in [start, end), only the fields reports count. */
  requestsReceivedBetween(start: Date, end: Date): Promise<ReportInput[]>;
  /**
   * The same requests grouped in the database by their counted fields (what reports compute
   * from: a million requests stay a few hundred groups). `receivedAt` is the group's earliest.
   */
  reportGroupsBetween(start: Date, end: Date): Promise<ReportGroup[]>;
  /** What reports count of each request received in [start, end), with its id (for verify). */
  countedFactsBetween(start: Date, end: Date): Promise<CountedFacts[]>;
  /** False when this (period, version) already exists: snapshots are never overwritten. */
  insertSnapshot(s: SnapshotRecord): Promise<boolean>;
  /** Every version of a period, oldest first. */
  listVersions(period: string): Promise<SnapshotRecord[]>;
  /** The newest version of each published period, newest period first. */
  listLatest(): Promise<SnapshotRecord[]>;
  getText(key: 'guide'): Promise<{ markdown: string; updatedAt: Date } | undefined>;
  setText(key: 'guide', markdown: string, at: Date, by: string): Promise<void>;
  /** One transaction over this store and the legal store (for its audit log). */
  transaction<T>(fn: (tx: TransparencyStore, legal: LegalStore) => Promise<T>): Promise<T>;
}
