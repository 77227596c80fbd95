import type { Kysely, Migration } from 'kysely';

// Accounts, users, sessions and the admin console (issue 6). Portable schema-builder code only:
// ids are app-generated text, timestamps ISO-8601 text, booleans integer 0/1, so SQLite and
// PostgreSQL run this file unchanged.
const ts = 'varchar(32)';

export const m0003_accounts: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('accounts')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('name', 'varchar(200)', (c) => c.notNull())
      .addColumn('plan', 'varchar(16)', (c) => c.notNull().defaultTo('basic'))
      .addColumn('allow_e2ee', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('unsupported_client_policy', 'varchar(16)', (c) =>
        c.notNull().defaultTo('downgrade'),
      )
      .addColumn('waiting_room_by_default', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('passcode_required', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('require_two_factor', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', ts, (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('users')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('account_id', 'varchar(36)', (c) =>
        c.notNull().references('accounts.id').onDelete('cascade'),
      )
      // Stored lower-cased; the unique index makes one address one user across all accounts.
      .addColumn('email', 'varchar(254)', (c) => c.notNull().unique())
      .addColumn('name', 'varchar(200)', (c) => c.notNull())
      .addColumn('role', 'varchar(16)', (c) => c.notNull())
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('password_hash', 'text')
      .addColumn('totp_secret', 'text')
      .addColumn('totp_pending_secret', 'text')
      // The last accepted TOTP time step: a code is accepted once (RFC 6238 §5.2).
      .addColumn('totp_last_step', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('locked_until', ts)
      .addColumn('created_at', ts, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('users_account_idx').on('users').column('account_id').execute();

    await db.schema
      .createTable('sessions')
      // SHA-256 of the cookie value: a stolen database does not yield usable sessions.
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('user_id', 'varchar(36)', (c) =>
        c.notNull().references('users.id').onDelete('cascade'),
      )
      .addColumn('created_at', ts, (c) => c.notNull())
      .addColumn('expires_at', ts, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();

    await db.schema
      .createTable('one_time_tokens')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('user_id', 'varchar(36)', (c) =>
        c.notNull().references('users.id').onDelete('cascade'),
      )
      .addColumn('purpose', 'varchar(16)', (c) => c.notNull())
      .addColumn('created_at', ts, (c) => c.notNull())
      .addColumn('expires_at', ts, (c) => c.notNull())
      .addColumn('used_at', ts)
      .execute();

    await db.schema
      .createTable('recovery_codes')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('user_id', 'varchar(36)', (c) =>
        c.notNull().references('users.id').onDelete('cascade'),
      )
      .addColumn('used_at', ts)
      .execute();
    await db.schema
      .createIndex('recovery_codes_user_idx')
      .on('recovery_codes')
      .column('user_id')
      .execute();

    await db.schema
      .createTable('admin_audit')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('account_id', 'varchar(36)', (c) => c.notNull())
      .addColumn('actor_user_id', 'varchar(36)')
      .addColumn('action', 'varchar(64)', (c) => c.notNull())
      .addColumn('target', 'varchar(200)')
      .addColumn('detail', 'text', (c) => c.notNull())
      .addColumn('at', ts, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('admin_audit_account_idx')
      .on('admin_audit')
      .columns(['account_id', 'seq'])
      .execute();

    await db.schema
      .createTable('outbox')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('account_id', 'varchar(36)')
      .addColumn('to_address', 'varchar(254)', (c) => c.notNull())
      .addColumn('subject', 'varchar(300)', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('created_at', ts, (c) => c.notNull())
      .execute();

    // Guest meetings keep both columns null and run on their stored settings.
    await db.schema.alterTable('meetings').addColumn('account_id', 'varchar(36)').execute();
    await db.schema.alterTable('meetings').addColumn('owner_user_id', 'varchar(36)').execute();
    await db.schema.alterTable('meetings').addColumn('title', 'varchar(200)').execute();
    await db.schema.alterTable('meetings').addColumn('starts_at', ts).execute();
    await db.schema
      .createIndex('meetings_owner_idx')
      .on('meetings')
      .column('owner_user_id')
      .execute();
    await db.schema
      .createIndex('meetings_account_idx')
      .on('meetings')
      .column('account_id')
      .execute();

    await db.schema
      .createTable('meeting_cohosts')
      .addColumn('meeting_id', 'varchar(16)', (c) =>
        c.notNull().references('meetings.id').onDelete('cascade'),
      )
      .addColumn('user_id', 'varchar(36)', (c) =>
        c.notNull().references('users.id').onDelete('cascade'),
      )
      .addPrimaryKeyConstraint('meeting_cohosts_pk', ['meeting_id', 'user_id'])
      .execute();
  },
};
