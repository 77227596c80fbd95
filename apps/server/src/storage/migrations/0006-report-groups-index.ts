import type { Kysely, Migration } from 'kysely';

// Issue 8 benchmark: one period's report from 1,000,000 requests in under 2 s. The report groups
// requests by the columns it counts (SqlTransparencyStore.reportGroupsBetween). With those columns
// leading, the database reads the groups in index order from the index alone — no table lookups
// and no sort (SQLite: 3.0 s → 0.15 s for 1M rows) — and filters received_at inside the index.
// accounts_specified rides along so the sum needs no table row either.
// Forward-only like every migration: the list is frozen here, not imported from the store.
const REPORT_GROUP_COLUMNS = [
  'request_type',
  'country_iso2',
  'origin_country_iso2',
  'is_emergency',
  'is_national_security',
  'has_ndo',
  'status',
  'outcome',
] as const;

export const m0006_report_groups_index: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createIndex('legal_requests_report_groups_idx')
      .on('legal_requests')
      .columns([...REPORT_GROUP_COLUMNS, 'received_at', 'accounts_specified'])
      .execute();
  },
};
