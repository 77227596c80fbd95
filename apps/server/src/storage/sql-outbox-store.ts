import type { Kysely } from 'kysely';
import type { OutboxMessage, OutboxStore } from '../modules/mail/outbox-store';
import type { Database } from './schema';

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
      })
      .execute();
  }

  async listMessages(accountId: string, limit: number): Promise<OutboxMessage[]> {
    const rows = await this.#db
      .selectFrom('outbox')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      accountId: r.account_id,
      to: r.to_address,
      subject: r.subject,
      body: r.body,
      createdAt: new Date(r.created_at),
    }));
  }
}
