import type { Kysely } from 'kysely';
import type { LegalStore } from '../modules/legal/legal-store';
import type { Database } from './schema';
import { SqlAuditRepo } from './sql-legal-audit';
import { SqlNoticeRepo } from './sql-legal-notices';
import { SqlRequesterRepo } from './sql-legal-requesters';
import { SqlRequestRepo } from './sql-legal-requests';
import { SqlReviewRepo } from './sql-legal-review';

/** The trust center's repositories over one connection or one open transaction. */
export class SqlLegalStore implements LegalStore {
  readonly #db: Kysely<Database>;
  readonly requesters: SqlRequesterRepo;
  readonly requests: SqlRequestRepo;
  readonly review: SqlReviewRepo;
  readonly notices: SqlNoticeRepo;
  readonly audit: SqlAuditRepo;

  constructor(db: Kysely<Database>) {
    this.#db = db;
    this.requesters = new SqlRequesterRepo(db);
    this.requests = new SqlRequestRepo(db);
    this.review = new SqlReviewRepo(db);
    this.notices = new SqlNoticeRepo(db);
    this.audit = new SqlAuditRepo(db);
  }

  transaction<T>(fn: (tx: LegalStore) => Promise<T>): Promise<T> {
    if (this.#db.isTransaction) return fn(this);
    return this.#db.transaction().execute((trx) => fn(new SqlLegalStore(trx)));
  }
}
