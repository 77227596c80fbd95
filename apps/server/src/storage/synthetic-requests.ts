import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { REQUEST_TYPES } from '@conclave/protocol';
import type { Database } from './schema';

// Synthetic legal requests for bench/transparency.bench.ts, generated inside the database (a
// recursive CTE on SQLite, generate_series on PostgreSQL) so seeding a million rows stays quick.
// Lives here because kysely resolves from the server workspace, not from bench/.

const pick = (list: readonly (string | null)[], mod: string) =>
  `CASE ${mod} ${list.map((v, i) => `WHEN ${i} THEN ${v === null ? 'NULL' : `'${v}'`}`).join(' ')} END`;
const OUTCOMES = [
  'rejected',
  'withdrawn',
  'no_data',
  'non_content_disclosed',
  'content_disclosed',
  'preserved',
  'access_withheld',
  'challenged',
  null,
];

/** The SELECT list of one synthetic request numbered `i`; `at` is its received_at expression. */
function columns(at: string): string {
  return `'r' || i, 'bench', 'bench', 'k' || i, ${at},
    ${pick(REQUEST_TYPES, 'i % 11')}, ${pick(['US', 'DE', 'FR', 'GB', 'BR', 'IN'], 'i % 6')}, NULL,
    CASE WHEN i % 11 = 6 THEN 'FR' ELSE NULL END, 'basis', 'authority', NULL, '',
    CASE WHEN i % 11 = 3 THEN 1 ELSE 0 END, CASE WHEN i % 11 = 4 THEN 1 ELSE 0 END,
    CASE WHEN i % 11 = 10 THEN 1 ELSE 0 END, 1, 0, 0, 1 + i % 3, ${at}, ${at}, ${at},
    CASE WHEN i % 4 = 0 THEN 1 ELSE 0 END, NULL, NULL, NULL, NULL,
    CASE WHEN i % 9 = 8 THEN 'in_review' WHEN i % 9 = 7 THEN 'challenged' ELSE 'closed' END,
    ${pick(OUTCOMES, 'i % 9')}, NULL, ${at}`;
}
const COLUMN_NAMES = `id, requester_id, agency_id, idempotency_key, received_at, request_type,
  country_iso2, subdivision, origin_country_iso2, legal_basis, issuing_authority, external_ref,
  description, is_emergency, is_preservation, is_national_security, wants_subscriber_info,
  wants_non_content, wants_content, accounts_specified, range_from, range_to, deadline_at, has_ndo,
  ndo_end_at, ndo_citation, ndo_valid, emergency_over_at, status, outcome, closed_at, updated_at`;

export async function seedParents(db: Kysely<Database>) {
  const now = new Date().toISOString();
  await db
    .insertInto('legal_agencies')
    .values({
      id: 'bench',
      name: 'Bench',
      country_iso2: 'US',
      subdivision: null,
      level: 'federal',
      created_at: now,
    })
    .execute();
}

export async function seedRequester(db: Kysely<Database>) {
  const row = {
    id: 'bench',
    agency_id: 'bench',
    email: 'bench@bench.invalid',
    full_name: 'Bench',
    badge_number: '',
    phone: '',
    mailing_address: '',
    password_hash: '!',
    email_verified_at: null,
    totp_secret: null,
    totp_pending_secret: null,
    totp_last_step: 0,
    attestation_version: null,
    attestation_accepted_at: null,
    status: 'suspended',
    created_at: new Date().toISOString(),
  };
  await db.insertInto('legal_requesters').values(row).execute();
}

/** `rows` requests numbered 1..rows; 4 in 5 in 2026-H1 (over its 181 days), the rest in 2025-H2. */
export async function seedSyntheticRequests(
  db: Kysely<Database>,
  dialect: 'sqlite' | 'postgres',
  rows: number,
): Promise<void> {
  if (!Number.isInteger(rows) || rows < 1) throw new TypeError('rows must be a positive integer');
  await seedParents(db);
  await seedRequester(db);
  if (dialect === 'sqlite') {
    const at = `CASE WHEN i % 5 = 0 THEN '2025-11-15T12:00:00.000Z' ELSE strftime('%Y-%m-%dT%H:%M:%S.000Z', '2026-01-01', '+' || (i % 181) || ' days', '+' || (i % 86400) || ' seconds') END`;
    await sql
      .raw(
        `WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ${rows})
         INSERT INTO legal_requests (${COLUMN_NAMES}) SELECT ${columns(at)} FROM s`,
      )
      .execute(db);
    return;
  }
  const at = `CASE WHEN i % 5 = 0 THEN '2025-11-15T12:00:00.000Z' ELSE to_char(timestamp '2026-01-01' + (i % 181) * interval '1 day' + (i % 86400) * interval '1 second', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') END`;
  await sql
    .raw(
      `INSERT INTO legal_requests (${COLUMN_NAMES}) SELECT ${columns(at)} FROM generate_series(1, ${rows}) AS s(i)`,
    )
    .execute(db);
  await sql`ANALYZE legal_requests`.execute(db);
}

/** Drops a bench schema (a plain identifier, never user input). */
export async function dropSchema(db: Kysely<Database>, schema: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new TypeError('invalid schema name');
  await sql.raw(`DROP SCHEMA ${schema} CASCADE`).execute(db);
}
