import { SqliteAdapter, sql } from 'kysely';
import type { Kysely, Selectable } from 'kysely';
import type { Outcome, ReportData, RequestStatus, RequestType } from '@conclave/protocol';
import type { CountedFacts } from '../modules/legal/counted-facts';
import type { LegalStore } from '../modules/legal/legal-store';
import type { ReportGroup, ReportInput } from '../modules/transparency/counting';
import type { SnapshotRecord, TransparencyStore } from '../modules/transparency/transparency-store';
import type { ColumnCipher } from './column-cipher';
import type { Database, LegalRequestsTable, TransparencyReportsTable } from './schema';
import { SqlLegalStore } from './sql-legal-store';

/** The columns a report counts by, in the order of legal_requests_report_groups_idx. */
const COUNTED_COLUMNS = [
  'request_type',
  'country_iso2',
  'origin_country_iso2',
  'is_emergency',
  'is_national_security',
  'has_ndo',
  'status',
  'outcome',
] as const;
type CountedRow = Pick<
  Selectable<LegalRequestsTable>,
  'received_at' | (typeof COUNTED_COLUMNS)[number]
>;

function toReportInput(r: CountedRow, accounts: number | string): ReportInput {
  return {
    receivedAt: new Date(r.received_at),
    type: r.request_type as RequestType,
    country: r.country_iso2,
    originCountry: r.origin_country_iso2,
    isEmergency: Number(r.is_emergency) === 1,
    isNationalSecurity: Number(r.is_national_security) === 1,
    accountsSpecified: Number(accounts),
    hasNdo: Number(r.has_ndo) === 1,
    status: r.status as RequestStatus,
    outcome: r.outcome as Outcome | null,
  };
}

export class SqlTransparencyStore implements TransparencyStore {
  readonly #db: Kysely<Database>;
  readonly #cipher: ColumnCipher;
  /** `cipher` is for the legal store its transactions hand out (requesters' TOTP secrets). */
  constructor(db: Kysely<Database>, cipher: ColumnCipher) {
    this.#db = db;
    this.#cipher = cipher;
  }

  async requestsReceivedBetween(start: Date, end: Date): Promise<ReportInput[]> {
    // ISO-8601 UTC text of one fixed width compares in time order on both dialects.
    const rows = await this.#db
      .selectFrom('legal_requests')
      .select(['received_at', 'accounts_specified', ...COUNTED_COLUMNS])
      .where('received_at', '>=', start.toISOString())
      .where('received_at', '<', end.toISOString())
      .execute();
    return rows.map((r) => toReportInput(r, r.accounts_specified));
  }

  async countedFactsBetween(start: Date, end: Date): Promise<CountedFacts[]> {
    const rows = await this.#db
      .selectFrom('legal_requests')
      .select(['id', 'received_at', 'accounts_specified', ...COUNTED_COLUMNS])
      .where('received_at', '>=', start.toISOString())
      .where('received_at', '<', end.toISOString())
      .orderBy('id')
      .execute();
    return rows.map((r) => {
      const i = toReportInput(r, r.accounts_specified);
      return {
        id: r.id,
        receivedAt: i.receivedAt.toISOString(),
        type: i.type,
        country: i.country,
        originCountry: i.originCountry,
        emergency: i.isEmergency,
        nationalSecurity: i.isNationalSecurity,
        accountsSpecified: i.accountsSpecified,
        ndo: i.hasNdo,
        status: i.status,
        outcome: i.outcome,
      };
    });
  }

  async reportGroupsBetween(start: Date, end: Date): Promise<ReportGroup[]> {
    // Grouped in the order of legal_requests_report_groups_idx (migration 0006): the database
    // reads the groups from that index alone, without a sort. Without statistics SQLite's planner
    // prefers the received_at range index and then sorts every row of the period (3 s for 800k
    // rows); the unary + keeps received_at from constraining an index, as SQLite documents
    // (sqlite.org/optoverview.html, "Disqualifying WHERE Clause Terms using Unary-'+'").
    const receivedAt =
      this.#db.getExecutor().adapter instanceof SqliteAdapter
        ? sql<string>`+${sql.ref('received_at')}`
        : sql<string>`${sql.ref('received_at')}`;
    const rows = await this.#db
      .selectFrom('legal_requests')
      .select((e) => [
        e.fn.min('received_at').as('received_at'),
        ...COUNTED_COLUMNS,
        e.fn.countAll<number | string>().as('n'),
        e.fn.sum<number | string>('accounts_specified').as('accounts'),
      ])
      .where(receivedAt, '>=', start.toISOString())
      .where(receivedAt, '<', end.toISOString())
      .groupBy([...COUNTED_COLUMNS])
      .execute();
    // PostgreSQL returns count and sum as bigint text.
    return rows.map((r) => ({ ...toReportInput(r, r.accounts), count: Number(r.n) }));
  }

  async insertSnapshot(s: SnapshotRecord): Promise<boolean> {
    const res = await this.#db
      .insertInto('transparency_reports')
      .values({
        period: s.period,
        version: s.version,
        published_at: s.publishedAt,
        published_by: s.publishedBy,
        note: s.note,
        audit_seq: s.auditSeq,
        audit_head: s.auditHead,
        data_json: JSON.stringify(s.data),
      })
      .onConflict((oc) => oc.columns(['period', 'version']).doNothing())
      .executeTakeFirst();
    return Number(res.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  async listVersions(period: string): Promise<SnapshotRecord[]> {
    const rows = await this.#db
      .selectFrom('transparency_reports')
      .selectAll()
      .where('period', '=', period)
      .orderBy('version', 'asc')
      .execute();
    return rows.map(toSnapshot);
  }

  async listLatest(): Promise<SnapshotRecord[]> {
    const rows = await this.#db
      .selectFrom('transparency_reports as t')
      .selectAll()
      .where((e) =>
        e(
          't.version',
          '=',
          e
            .selectFrom('transparency_reports as u')
            .select((e) => e.fn.max('u.version').as('v'))
            .whereRef('u.period', '=', 't.period'),
        ),
      )
      .orderBy('t.period', 'desc')
      .execute();
    return rows.map(toSnapshot);
  }

  async getText(key: 'guide') {
    const r = await this.#db
      .selectFrom('transparency_texts')
      .selectAll()
      .where('key', '=', key)
      .executeTakeFirst();
    return r && { markdown: r.markdown, updatedAt: new Date(r.updated_at) };
  }

  async setText(key: 'guide', markdown: string, at: Date, by: string): Promise<void> {
    await this.#db
      .insertInto('transparency_texts')
      .values({ key, markdown, updated_at: at.toISOString(), updated_by: by })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({ markdown, updated_at: at.toISOString(), updated_by: by }),
      )
      .execute();
  }

  transaction<T>(fn: (tx: TransparencyStore, legal: LegalStore) => Promise<T>): Promise<T> {
    if (this.#db.isTransaction) return fn(this, new SqlLegalStore(this.#db, this.#cipher));
    return this.#db
      .transaction()
      .execute((trx) =>
        fn(new SqlTransparencyStore(trx, this.#cipher), new SqlLegalStore(trx, this.#cipher)),
      );
  }
}

function toSnapshot(r: Selectable<TransparencyReportsTable>): SnapshotRecord {
  return {
    period: r.period,
    version: Number(r.version),
    publishedAt: r.published_at,
    publishedBy: r.published_by,
    note: r.note,
    auditSeq: Number(r.audit_seq),
    auditHead: r.audit_head,
    data: JSON.parse(r.data_json) as ReportData,
  };
}
