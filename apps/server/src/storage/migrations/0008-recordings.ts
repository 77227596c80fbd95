import type { Kysely, Migration } from 'kysely';

// Recordings (issue 20, DESIGN.md §8): one row per cloud recording (kept as a tombstone after
// deletion, so productions can say what was deleted and where the audit entry is), its sealed
// files, the account's recording settings, and preservation holds.
const ts = 'varchar(32)';

export const m0008_recordings: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('recordings')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('account_id', 'varchar(36)', (c) => c.notNull())
      .addColumn('meeting_id', 'varchar(16)', (c) => c.notNull())
      .addColumn('owner_user_id', 'varchar(36)')
      .addColumn('started_by_name', 'varchar(200)', (c) => c.notNull())
      .addColumn('started_at', ts, (c) => c.notNull())
      .addColumn('ended_at', ts)
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('interrupted', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('stop_reason', 'varchar(300)')
      .addColumn('progress', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('error', 'varchar(500)')
      .addColumn('duration_ms', 'bigint')
      .addColumn('deleted_at', ts)
      .addColumn('deleted_by', 'varchar(36)')
      .addColumn('deletion_audit_seq', 'integer')
      .execute();
    await db.schema
      .createIndex('recordings_owner_idx')
      .on('recordings')
      .columns(['owner_user_id', 'started_at'])
      .execute();
    await db.schema
      .createIndex('recordings_account_idx')
      .on('recordings')
      .columns(['account_id', 'started_at'])
      .execute();
    await db.schema
      .createTable('recording_files')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('recording_id', 'varchar(36)', (c) => c.notNull())
      .addColumn('kind', 'varchar(16)', (c) => c.notNull())
      .addColumn('path', 'varchar(300)', (c) => c.notNull())
      .addColumn('bytes', 'bigint', (c) => c.notNull())
      .addColumn('sha256', 'varchar(64)', (c) => c.notNull())
      .addColumn('participant_id', 'varchar(64)')
      .addColumn('participant_name', 'varchar(200)')
      .addColumn('source', 'varchar(16)')
      .addColumn('offset_ms', 'bigint', (c) => c.notNull())
      .addColumn('complete', 'integer', (c) => c.notNull())
      .addColumn('created_at', ts, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('recording_files_recording_idx')
      .on('recording_files')
      .column('recording_id')
      .execute();
    await db.schema
      .createTable('account_recording_settings')
      .addColumn('account_id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('allow_cloud_recording', 'integer', (c) => c.notNull())
      .addColumn('retention_days', 'integer')
      .execute();
    await db.schema
      .createTable('recording_holds')
      .addColumn('recording_id', 'varchar(36)', (c) => c.notNull())
      .addColumn('request_id', 'varchar(36)', (c) => c.notNull())
      .addColumn('placed_at', ts, (c) => c.notNull())
      .addColumn('released_at', ts)
      .addPrimaryKeyConstraint('recording_holds_pk', ['recording_id', 'request_id'])
      .execute();
  },
};
