import type { Kysely } from 'kysely';
import type { SessionRecord, SessionStore } from '../modules/accounts/session-store';
import type { Database } from './schema';

export class SqlSessionStore implements SessionStore {
  readonly #db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async insertSession(s: SessionRecord): Promise<void> {
    await this.#db
      .insertInto('sessions')
      .values({
        id: s.id,
        user_id: s.userId,
        created_at: s.createdAt.toISOString(),
        expires_at: s.expiresAt.toISOString(),
      })
      .execute();
  }

  async findSession(id: string): Promise<SessionRecord | undefined> {
    const row = await this.#db
      .selectFrom('sessions')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row
      ? {
          id: row.id,
          userId: row.user_id,
          createdAt: new Date(row.created_at),
          expiresAt: new Date(row.expires_at),
        }
      : undefined;
  }

  async deleteSession(id: string): Promise<void> {
    await this.#db.deleteFrom('sessions').where('id', '=', id).execute();
  }

  async deleteUserSessions(userId: string, exceptId?: string): Promise<number> {
    let q = this.#db.deleteFrom('sessions').where('user_id', '=', userId);
    if (exceptId !== undefined) q = q.where('id', '!=', exceptId);
    const result = await q.executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
