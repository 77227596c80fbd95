export interface AdminAuditEntry {
  seq: number;
  accountId: string;
  actorUserId: string | null;
  action: string;
  target: string | null;
  detail: Record<string, unknown>;
  at: Date;
}

/** Storage port for the admin-action history; append-only. */
export interface AdminAuditStore {
  append(entry: Omit<AdminAuditEntry, 'seq'>): Promise<number>;
  /** Newest first; `beforeSeq` pages backwards. */
  list(accountId: string, limit: number, beforeSeq?: number): Promise<AdminAuditEntry[]>;
  /** Entries about one target with one of `actions`, at or after `since`, oldest first. */
  forTarget(
    accountId: string,
    target: string,
    actions: readonly string[],
    since: Date,
  ): Promise<AdminAuditEntry[]>;
}
