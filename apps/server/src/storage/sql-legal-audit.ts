import type { Kysely, Selectable } from 'kysely';
import { canonicalJson, entryHash } from '../modules/legal/audit-chain';
import type { AuditEntry, AuditInput } from '../modules/legal/audit-chain';
import type { AuditRepo } from '../modules/legal/legal-store';
import type { Database, LegalAuditTable } from './schema';

const PAGE = 1000;

/**
 * Appends to the hash chain. Must run inside the caller's transaction: the first statement
 * bumps the single head row, which holds a write lock until commit, so a concurrent append waits
 * and then chains onto this entry (PostgreSQL row lock; SQLite serialises writers anyway).
 * There is deliberately no update or delete here.
 */
export class SqlAuditRepo implements AuditRepo {
  readonly #db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async append(e: AuditInput): Promise<AuditEntry> {
    const head = await this.#db
      .updateTable('legal_audit_head')
      .set((eb) => ({ seq: eb('seq', '+', 1) }))
      .where('id', '=', 1)
      .returning(['seq', 'hash'])
      .executeTakeFirstOrThrow();
    const entry = {
      seq: Number(head.seq),
      at: e.at.toISOString(),
      actorKind: e.actorKind,
      actorId: e.actorId,
      action: e.action,
      entity: e.entity,
      entityId: e.entityId,
      requestId: e.requestId,
      detail: canonicalJson(e.detail),
    };
    const hash = entryHash(head.hash, entry);
    await this.#db
      .insertInto('legal_audit')
      .values({
        seq: entry.seq,
        at: entry.at,
        actor_kind: entry.actorKind,
        actor_id: entry.actorId,
        action: entry.action,
        entity: entry.entity,
        entity_id: entry.entityId,
        request_id: entry.requestId,
        detail: entry.detail,
        prev_hash: head.hash,
        hash,
      })
      .execute();
    await this.#db.updateTable('legal_audit_head').set({ hash }).where('id', '=', 1).execute();
    return { ...entry, prevHash: head.hash, hash };
  }

  async head(): Promise<{ seq: number; hash: string }> {
    const row = await this.#db
      .selectFrom('legal_audit_head')
      .select(['seq', 'hash'])
      .where('id', '=', 1)
      .executeTakeFirstOrThrow();
    return { seq: Number(row.seq), hash: row.hash };
  }

  async *entries(): AsyncIterable<AuditEntry> {
    let after = 0;
    for (;;) {
      const rows = await this.#db
        .selectFrom('legal_audit')
        .selectAll()
        .where('seq', '>', after)
        .orderBy('seq')
        .limit(PAGE)
        .execute();
      for (const r of rows) yield toEntry(r);
      if (rows.length < PAGE) return;
      after = Number(rows[rows.length - 1]!.seq);
    }
  }

  async forRequest(requestId: string): Promise<AuditEntry[]> {
    const rows = await this.#db
      .selectFrom('legal_audit')
      .selectAll()
      .where('request_id', '=', requestId)
      .orderBy('seq')
      .execute();
    return rows.map(toEntry);
  }
}

function toEntry(r: Selectable<LegalAuditTable>): AuditEntry {
  return {
    seq: Number(r.seq),
    at: r.at,
    actorKind: r.actor_kind,
    actorId: r.actor_id,
    action: r.action,
    entity: r.entity,
    entityId: r.entity_id,
    requestId: r.request_id,
    detail: r.detail,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}
