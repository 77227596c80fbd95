import type { Kysely, Selectable } from 'kysely';
import type { OutboxMessage, OutboxStore, QueuedMail } from '../modules/mail/outbox-store';
import type { Database, OutboxTable } from './schema';

export class SqlOutboxStore implements OutboxStore {
  readonly #db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async insertMessage(m: OutboxMessage): Promise<void> {
    await this.#db
      .insertInto('outbox')
      .values({
        id: m.id,
        account_id: m.accountId,
        to_address: m.to,
        subject: m.subject,
        body: m.body,
        created_at: m.createdAt.toISOString(),
        next_attempt_at: m.createdAt.toISOString(),
      })
      .execute();
  }

  async listMessages(accountId: string, limit: number): Promise<QueuedMail[]> {
    const rows = await this.#db
      .selectFrom('outbox')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('sent_at', 'is', null)
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map(toQueued);
  }

  async listDue(now: Date, notBefore: Date, limit: number): Promise<QueuedMail[]> {
    const rows = await this.#db
      .selectFrom('outbox')
      .selectAll()
      .where('sent_at', 'is', null)
      .where('next_attempt_at', 'is not', null)
      .where('next_attempt_at', '<=', now.toISOString())
      .where('created_at', '>=', notBefore.toISOString())
      .orderBy('next_attempt_at')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map(toQueued);
  }

  async claim(mail: QueuedMail, leaseUntil: Date): Promise<boolean> {
    if (!mail.nextAttemptAt) return false;
    const res = await this.#db
      .updateTable('outbox')
      .set((eb) => ({
        attempts: eb('attempts', '+', 1),
        next_attempt_at: leaseUntil.toISOString(),
      }))
      .where('id', '=', mail.id)
      .where('sent_at', 'is', null)
      .where('next_attempt_at', '=', mail.nextAttemptAt.toISOString())
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  async markSent(id: string, at: Date): Promise<void> {
    await this.#db
      .updateTable('outbox')
      .set({ sent_at: at.toISOString(), next_attempt_at: null, last_error: null, body: '' })
      .where('id', '=', id)
      .execute();
  }

  async markFailed(id: string, error: string, nextAttemptAt: Date | null): Promise<void> {
    await this.#db
      .updateTable('outbox')
      .set({
        last_error: error.slice(0, 300),
        next_attempt_at: nextAttemptAt?.toISOString() ?? null,
      })
      .where('id', '=', id)
      .where('sent_at', 'is', null)
      .execute();
  }

  async findQueued(id: string): Promise<QueuedMail | undefined> {
    const row = await this.#db
      .selectFrom('outbox')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toQueued(row) : undefined;
  }
}

function toQueued(r: Selectable<OutboxTable>): QueuedMail {
  return {
    id: r.id,
    accountId: r.account_id,
    to: r.to_address,
    subject: r.subject,
    body: r.body,
    createdAt: new Date(r.created_at),
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at ? new Date(r.next_attempt_at) : null,
    lastError: r.last_error,
    sentAt: r.sent_at ? new Date(r.sent_at) : null,
  };
}
