import { SqliteAdapter, sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { LegalStore } from '../modules/legal/legal-store';
import type { ColumnCipher } from './column-cipher';
import type { Database } from './schema';
import { SqlAuditRepo } from './sql-legal-audit';
import { SqlNoticeRepo } from './sql-legal-notices';
import { SqlRequesterRepo } from './sql-legal-requesters';
import { SqlRequestRepo } from './sql-legal-requests';
import { SqlReviewRepo } from './sql-legal-review';
import { SqlOutboxStore } from './sql-outbox-store';

/** The trust center's repositories over one connection or one open transaction. */
export class SqlLegalStore implements LegalStore {
  readonly #db: Kysely<Database>;
  readonly #cipher: ColumnCipher;
  readonly #inTransaction: boolean;
  readonly requesters: SqlRequesterRepo;
  readonly requests: SqlRequestRepo;
  readonly review: SqlReviewRepo;
  readonly notices: SqlNoticeRepo;
  readonly audit: SqlAuditRepo;
  readonly mail: SqlOutboxStore;

  constructor(db: Kysely<Database>, cipher: ColumnCipher, inTransaction = false) {
    this.#db = db;
    this.#cipher = cipher;
    this.#inTransaction = inTransaction || db.isTransaction;
    this.requesters = new SqlRequesterRepo(db, cipher);
    this.requests = new SqlRequestRepo(db);
    this.review = new SqlReviewRepo(db);
    this.notices = new SqlNoticeRepo(db);
    this.audit = new SqlAuditRepo(db);
    this.mail = new SqlOutboxStore(db);
  }

  transaction<T>(fn: (tx: LegalStore) => Promise<T>): Promise<T> {
    if (this.#inTransaction) return fn(this);
    if (!(this.#db.getExecutor().adapter instanceof SqliteAdapter))
      return this.#db.transaction().execute((trx) => fn(new SqlLegalStore(trx, this.#cipher)));
    // SQLite: BEGIN IMMEDIATE takes the write lock up front. A deferred transaction that read
    // first fails at once with SQLITE_BUSY when another process (a second scheduler) committed
    // in between; waiting for the lock at BEGIN lets busy_timeout do its job instead.
    return this.#db.connection().execute(async (conn) => {
      await sql`begin immediate`.execute(conn);
      try {
        const out = await fn(new SqlLegalStore(conn, this.#cipher, true));
        await sql`commit`.execute(conn);
        return out;
      } catch (err) {
        await sql`rollback`.execute(conn);
        throw err;
      }
    });
  }
}
