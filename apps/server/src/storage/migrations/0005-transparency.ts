import type { Kysely, Migration } from 'kysely';

// Transparency reports (issue 8). A published version is a frozen JSON snapshot: later changes
// to requests never alter it (research §8.2, "freeze published periods"). The primary key
// (period, version) makes two concurrent publishes of the same version fail instead of crossing.
const ts = 'varchar(32)';

export const m0005_transparency: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('transparency_reports')
      .addColumn('period', 'varchar(7)', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('published_at', ts, (c) => c.notNull())
      .addColumn('published_by', 'varchar(36)', (c) => c.notNull())
      .addColumn('note', 'text')
      .addColumn('audit_seq', 'integer', (c) => c.notNull())
      .addColumn('audit_head', 'varchar(64)', (c) => c.notNull())
      .addColumn('data_json', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('transparency_reports_pk', ['period', 'version'])
      .execute();
    // Operator-editable texts (the Government Requests Guide), one row per key.
    await db.schema
      .createTable('transparency_texts')
      .addColumn('key', 'varchar(32)', (c) => c.primaryKey())
      .addColumn('markdown', 'text', (c) => c.notNull())
      .addColumn('updated_at', ts, (c) => c.notNull())
      .addColumn('updated_by', 'varchar(36)', (c) => c.notNull())
      .execute();
  },
};
