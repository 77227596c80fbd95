import type { Kysely, Migration } from 'kysely';

export const m0001_meetings: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('meetings')
      .addColumn('id', 'varchar(16)', (c) => c.primaryKey())
      .addColumn('passcode_hash', 'text')
      .addColumn('host_key_hash', 'text', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('ended_at', 'varchar(32)')
      .execute();
  },
};
