import type { Kysely, Migration } from 'kysely';

// Durable mail queue ("nothing is lost"): the outbox becomes the queue. Mail is written in the
// transaction that causes it; the dispatcher sends due rows over SMTP and retries with backoff.
// Without SMTP no dispatcher runs and the rows stay where admins read them, as before.
// Rows written before this migration (no SMTP at the time) keep next_attempt_at null: they were
// meant for the outbox only and are never sent.
const ts = 'varchar(32)';

export const m0007_mail_queue: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('outbox')
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.alterTable('outbox').addColumn('next_attempt_at', ts).execute();
    await db.schema.alterTable('outbox').addColumn('last_error', 'varchar(300)').execute();
    await db.schema.alterTable('outbox').addColumn('sent_at', ts).execute();
    // Due rows: unsent, ordered by their next attempt.
    await db.schema
      .createIndex('outbox_due_idx')
      .on('outbox')
      .columns(['sent_at', 'next_attempt_at'])
      .execute();
    await db.schema
      .createIndex('outbox_account_idx')
      .on('outbox')
      .columns(['account_id', 'created_at'])
      .execute();
  },
};
