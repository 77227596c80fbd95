import type { Kysely, Migration } from 'kysely';

/** Meeting-level E2EE settings, until account settings (accounts issue) take them over. */
export const m0002_meeting_e2ee_settings: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('meetings')
      .addColumn('e2ee_allowed', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
    await db.schema
      .alterTable('meetings')
      .addColumn('unsupported_client_policy', 'varchar(16)', (c) =>
        c.notNull().defaultTo('downgrade'),
      )
      .execute();
  },
};
