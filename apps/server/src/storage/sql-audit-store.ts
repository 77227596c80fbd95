import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { AdminAuditEntry, AdminAuditStore } from '../modules/accounts/audit-store';
import type { Database } from './schema';

export class SqlAdminAuditStore implements AdminAuditStore {
  readonly #db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async append(e: Omit<AdminAuditEntry, 'seq'>): Promise<number> {
    // Per-account sequence numbers give stable paging; the transaction keeps them gap-free on
    // SQLite (one writer) and the row lock on the account serialises writers on PostgreSQL.
    return this.#db.transaction().execute(async (tx) => {
      await tx
        .updateTable('accounts')
        .set((eb) => ({ id: eb.ref('id') }))
        .where('id', '=', e.accountId)
        .execute();
      const last = await tx
        .selectFrom('admin_audit')
        .select((eb) => eb.fn.max('seq').as('m'))
        .where('account_id', '=', e.accountId)
        .executeTakeFirst();
      const seq = Number(last?.m ?? 0) + 1;
      await tx
        .insertInto('admin_audit')
        .values({
          id: randomUUID(),
          seq,
          account_id: e.accountId,
          actor_user_id: e.actorUserId,
          action: e.action,
          target: e.target,
          detail: JSON.stringify(e.detail),
          at: e.at.toISOString(),
        })
        .execute();
      return seq;
    });
  }

  async list(accountId: string, limit: number, beforeSeq?: number): Promise<AdminAuditEntry[]> {
    let q = this.#db.selectFrom('admin_audit').selectAll().where('account_id', '=', accountId);
    if (beforeSeq !== undefined) q = q.where('seq', '<', beforeSeq);
    return toEntries(await q.orderBy('seq', 'desc').limit(limit).execute());
  }

  async forTarget(
    accountId: string,
    target: string,
    actions: readonly string[],
    since: Date,
  ): Promise<AdminAuditEntry[]> {
    if (actions.length === 0) return [];
    const rows = await this.#db
      .selectFrom('admin_audit')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('target', '=', target)
      .where('action', 'in', [...actions])
      .where('at', '>=', since.toISOString())
      .orderBy('seq', 'asc')
      .execute();
    return toEntries(rows);
  }
}

function toEntries(rows: Selectable<Database['admin_audit']>[]): AdminAuditEntry[] {
  return rows.map((r) => ({
    seq: Number(r.seq),
    accountId: r.account_id,
    actorUserId: r.actor_user_id,
    action: r.action,
    target: r.target,
    detail: JSON.parse(r.detail) as Record<string, unknown>,
    at: new Date(r.at),
  }));
}
