import { PostgresAdapter, sql } from 'kysely';
import type { Kysely, Migration } from 'kysely';

// Trust center (issue 7). Same portable conventions as 0003: text ids, ISO-8601 UTC text
// timestamps, integer 0/1 booleans. Columns that issue 8 counts (type, jurisdiction, outcome, NDO,
// emergency, preservation, national security, accounts specified) are plain typed columns, never
// JSON, so a report is one GROUP BY.
const ts = 'varchar(32)';
const id = 'varchar(36)';

export const m0004_legal: Migration = {
  async up(db: Kysely<unknown>) {
    // Document bytes live in the database so a request and its PDFs commit in one transaction.
    const binary = db.getExecutor().adapter instanceof PostgresAdapter ? sql`bytea` : sql`blob`;

    // Where an account is, for the "target outside the requesting jurisdiction" pre-check.
    await db.schema.alterTable('accounts').addColumn('country_iso2', 'varchar(2)').execute();
    await db.schema.alterTable('accounts').addColumn('subdivision', 'varchar(3)').execute();

    await db.schema
      .createTable('legal_agencies')
      .addColumn('id', id, (c) => c.primaryKey())
      .addColumn('name', 'varchar(200)', (c) => c.notNull())
      .addColumn('country_iso2', 'varchar(2)', (c) => c.notNull())
      .addColumn('subdivision', 'varchar(3)')
      .addColumn('level', 'varchar(24)', (c) => c.notNull())
      .addColumn('created_at', ts, (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('legal_agency_domains')
      // One domain belongs to one agency: it decides which agency a requester speaks for.
      .addColumn('domain', 'varchar(254)', (c) => c.primaryKey())
      .addColumn('agency_id', id, (c) => c.notNull().references('legal_agencies.id'))
      .execute();

    await db.schema
      .createTable('legal_requesters')
      .addColumn('id', id, (c) => c.primaryKey())
      .addColumn('agency_id', id, (c) => c.notNull().references('legal_agencies.id'))
      .addColumn('email', 'varchar(254)', (c) => c.notNull().unique())
      .addColumn('full_name', 'varchar(200)', (c) => c.notNull())
      .addColumn('badge_number', 'varchar(100)', (c) => c.notNull())
      .addColumn('phone', 'varchar(40)', (c) => c.notNull())
      .addColumn('mailing_address', 'varchar(500)', (c) => c.notNull())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('email_verified_at', ts)
      .addColumn('totp_secret', 'text')
      .addColumn('totp_pending_secret', 'text')
      .addColumn('totp_last_step', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('attestation_version', 'integer')
      .addColumn('attestation_accepted_at', ts)
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('created_at', ts, (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('legal_requester_sessions')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('requester_id', id, (c) =>
        c.notNull().references('legal_requesters.id').onDelete('cascade'),
      )
      .addColumn('created_at', ts, (c) => c.notNull())
      .addColumn('expires_at', ts, (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('legal_requester_tokens')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('requester_id', id, (c) =>
        c.notNull().references('legal_requesters.id').onDelete('cascade'),
      )
      .addColumn('purpose', 'varchar(16)', (c) => c.notNull())
      .addColumn('expires_at', ts, (c) => c.notNull())
      .addColumn('used_at', ts)
      .execute();

    await db.schema
      .createTable('legal_requests')
      .addColumn('id', id, (c) => c.primaryKey())
      .addColumn('requester_id', id, (c) => c.notNull().references('legal_requesters.id'))
      .addColumn('agency_id', id, (c) => c.notNull().references('legal_agencies.id'))
      .addColumn('idempotency_key', 'varchar(64)', (c) => c.notNull())
      .addColumn('received_at', ts, (c) => c.notNull())
      .addColumn('request_type', 'varchar(32)', (c) => c.notNull())
      .addColumn('country_iso2', 'varchar(2)', (c) => c.notNull())
      .addColumn('subdivision', 'varchar(3)')
      .addColumn('origin_country_iso2', 'varchar(2)')
      .addColumn('legal_basis', 'varchar(500)', (c) => c.notNull())
      .addColumn('issuing_authority', 'varchar(300)', (c) => c.notNull())
      .addColumn('external_ref', 'varchar(100)')
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('is_emergency', 'integer', (c) => c.notNull())
      .addColumn('is_preservation', 'integer', (c) => c.notNull())
      .addColumn('is_national_security', 'integer', (c) => c.notNull())
      .addColumn('wants_subscriber_info', 'integer', (c) => c.notNull())
      .addColumn('wants_non_content', 'integer', (c) => c.notNull())
      .addColumn('wants_content', 'integer', (c) => c.notNull())
      .addColumn('accounts_specified', 'integer', (c) => c.notNull())
      .addColumn('range_from', ts, (c) => c.notNull())
      .addColumn('range_to', ts, (c) => c.notNull())
      .addColumn('deadline_at', ts, (c) => c.notNull())
      .addColumn('has_ndo', 'integer', (c) => c.notNull())
      .addColumn('ndo_end_at', ts)
      .addColumn('ndo_citation', 'varchar(300)')
      // null = not yet reviewed; 1 valid; 0 deficient.
      .addColumn('ndo_valid', 'integer')
      .addColumn('emergency_over_at', ts)
      .addColumn('status', 'varchar(24)', (c) => c.notNull())
      .addColumn('outcome', 'varchar(32)')
      .addColumn('closed_at', ts)
      .addColumn('updated_at', ts, (c) => c.notNull())
      .execute();
    // A retried submission finds the first one instead of creating a second request.
    await db.schema
      .createIndex('legal_requests_idem_uq')
      .on('legal_requests')
      .columns(['requester_id', 'idempotency_key'])
      .unique()
      .execute();
    await db.schema
      .createIndex('legal_requests_agency_idx')
      .on('legal_requests')
      .column('agency_id')
      .execute();
    await db.schema
      .createIndex('legal_requests_received_idx')
      .on('legal_requests')
      .column('received_at')
      .execute();

    await db.schema
      .createTable('legal_request_targets')
      .addColumn('id', id, (c) => c.primaryKey())
      .addColumn('request_id', id, (c) => c.notNull().references('legal_requests.id'))
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('target_type', 'varchar(16)', (c) => c.notNull())
      .addColumn('value', 'varchar(254)', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('legal_targets_request_idx')
      .on('legal_request_targets')
      .column('request_id')
      .execute();

    await db.schema
      .createTable('legal_documents')
      .addColumn('id', id, (c) => c.primaryKey())
      .addColumn('request_id', id, (c) => c.notNull().references('legal_requests.id'))
      .addColumn('filename', 'varchar(200)', (c) => c.notNull())
      .addColumn('size_bytes', 'integer', (c) => c.notNull())
      .addColumn('sha256', 'varchar(64)', (c) => c.notNull())
      .addColumn('content', binary, (c) => c.notNull())
      .addColumn('uploaded_by', id, (c) => c.notNull())
      .addColumn('uploaded_at', ts, (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('legal_messages')
      .addColumn('id', id, (c) => c.primaryKey())
      .addColumn('request_id', id, (c) => c.notNull().references('legal_requests.id'))
      .addColumn('author_kind', 'varchar(16)', (c) => c.notNull())
      .addColumn('author_id', id, (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('created_at', ts, (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('legal_checklist')
      .addColumn('request_id', id, (c) => c.notNull().references('legal_requests.id'))
      .addColumn('ground', 'varchar(48)', (c) => c.notNull())
      .addColumn('result', 'varchar(16)', (c) => c.notNull())
      .addColumn('notes', 'text', (c) => c.notNull())
      .addColumn('reviewer_id', id, (c) => c.notNull())
      .addColumn('updated_at', ts, (c) => c.notNull())
      .addPrimaryKeyConstraint('legal_checklist_pk', ['request_id', 'ground'])
      .execute();

    await db.schema
      .createTable('legal_decisions')
      .addColumn('id', id, (c) => c.primaryKey())
      .addColumn('request_id', id, (c) => c.notNull().references('legal_requests.id'))
      .addColumn('kind', 'varchar(32)', (c) => c.notNull())
      .addColumn('challenge_kind', 'varchar(32)')
      .addColumn('rationale', 'text', (c) => c.notNull())
      .addColumn('state', 'varchar(16)', (c) => c.notNull())
      .addColumn('decided_by', id, (c) => c.notNull())
      .addColumn('decided_at', ts, (c) => c.notNull())
      .addColumn('approved_by', id)
      .addColumn('approved_at', ts)
      .execute();

    await db.schema
      .createTable('legal_productions')
      .addColumn('id', id, (c) => c.primaryKey())
      .addColumn('request_id', id, (c) => c.notNull().references('legal_requests.id'))
      .addColumn('decision_id', id, (c) => c.notNull().references('legal_decisions.id'))
      .addColumn('manifest', 'text', (c) => c.notNull())
      .addColumn('package', binary, (c) => c.notNull())
      .addColumn('package_sha256', 'varchar(64)', (c) => c.notNull())
      .addColumn('created_by', id, (c) => c.notNull())
      .addColumn('created_at', ts, (c) => c.notNull())
      .addColumn('released_by', id)
      .addColumn('released_at', ts)
      .addColumn('first_downloaded_at', ts)
      .execute();

    await db.schema
      .createTable('legal_notices')
      .addColumn('id', id, (c) => c.primaryKey())
      .addColumn('request_id', id, (c) => c.notNull().references('legal_requests.id'))
      .addColumn('recipient_user_id', id, (c) => c.notNull())
      .addColumn('recipient_kind', 'varchar(16)', (c) => c.notNull())
      .addColumn('subject_user_id', id, (c) => c.notNull())
      .addColumn('state', 'varchar(16)', (c) => c.notNull())
      .addColumn('suppression_reason', 'varchar(32)')
      .addColumn('suppression_notes', 'text')
      .addColumn('suppressed_by', id)
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('created_at', ts, (c) => c.notNull())
      .addColumn('claimed_by', 'varchar(64)')
      .addColumn('sent_at', ts)
      .execute();
    // One notice per recipient per request: two schedulers can never both create one.
    await db.schema
      .createIndex('legal_notices_uq')
      .on('legal_notices')
      .columns(['request_id', 'recipient_user_id'])
      .unique()
      .execute();

    await db.schema
      .createTable('legal_ndo_extensions')
      .addColumn('id', id, (c) => c.primaryKey())
      .addColumn('request_id', id, (c) => c.notNull().references('legal_requests.id'))
      .addColumn('previous_end_at', ts)
      .addColumn('new_end_at', ts, (c) => c.notNull())
      .addColumn('citation', 'varchar(300)', (c) => c.notNull())
      .addColumn('recorded_by', id, (c) => c.notNull())
      .addColumn('recorded_at', ts, (c) => c.notNull())
      .execute();

    // Scheduler claims: the unique key makes "remind once per NDO end date" hold across processes.
    await db.schema
      .createTable('legal_scheduler_claims')
      .addColumn('claim_key', 'varchar(200)', (c) => c.primaryKey())
      .addColumn('claimed_by', 'varchar(64)', (c) => c.notNull())
      .addColumn('claimed_at', ts, (c) => c.notNull())
      .execute();

    // In-app notices for users (the notice of a government request, for now).
    await db.schema
      .createTable('user_notices')
      .addColumn('id', id, (c) => c.primaryKey())
      .addColumn('user_id', id, (c) => c.notNull())
      .addColumn('kind', 'varchar(32)', (c) => c.notNull())
      .addColumn('title', 'varchar(300)', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('created_at', ts, (c) => c.notNull())
      .addColumn('read_at', ts)
      .execute();
    await db.schema
      .createIndex('user_notices_user_idx')
      .on('user_notices')
      .column('user_id')
      .execute();

    // Append-only, hash-chained (modules/legal/audit-chain.ts). No code path updates or deletes.
    await db.schema
      .createTable('legal_audit')
      .addColumn('seq', 'integer', (c) => c.primaryKey())
      .addColumn('at', ts, (c) => c.notNull())
      .addColumn('actor_kind', 'varchar(16)', (c) => c.notNull())
      .addColumn('actor_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('action', 'varchar(64)', (c) => c.notNull())
      .addColumn('entity', 'varchar(24)', (c) => c.notNull())
      .addColumn('entity_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('request_id', id)
      .addColumn('detail', 'text', (c) => c.notNull())
      .addColumn('prev_hash', 'varchar(64)', (c) => c.notNull())
      .addColumn('hash', 'varchar(64)', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('legal_audit_request_idx')
      .on('legal_audit')
      .column('request_id')
      .execute();
    // The chain head: appending updates this one row first, which serialises concurrent appends
    // (the row lock on PostgreSQL, the database lock on SQLite) so the chain never forks.
    await db.schema
      .createTable('legal_audit_head')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('hash', 'varchar(64)', (c) => c.notNull())
      .execute();
    await sql`insert into legal_audit_head (id, seq, hash) values (1, 0, ${'0'.repeat(64)})`.execute(
      db,
    );
  },
};
