import type { Kysely } from 'kysely';
import type { OneTimeTokenRecord, TokenPurpose, TokenStore } from '../modules/accounts/token-store';
import type { Database } from './schema';

export class SqlTokenStore implements TokenStore {
  readonly #db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async insertToken(t: OneTimeTokenRecord): Promise<void> {
    await this.#db
      .insertInto('one_time_tokens')
      .values({
        id: t.id,
        user_id: t.userId,
        purpose: t.purpose,
        created_at: t.createdAt.toISOString(),
        expires_at: t.expiresAt.toISOString(),
        used_at: null,
      })
      .execute();
  }

  async consumeToken(id: string, purpose: TokenPurpose, now: Date): Promise<string | undefined> {
    const at = now.toISOString();
    // One conditional UPDATE: of two concurrent uses only one sees a changed row.
    const result = await this.#db
      .updateTable('one_time_tokens')
      .set({ used_at: at })
      .where('id', '=', id)
      .where('purpose', '=', purpose)
      .where('used_at', 'is', null)
      .where('expires_at', '>', at)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return undefined;
    const row = await this.#db
      .selectFrom('one_time_tokens')
      .select('user_id')
      .where('id', '=', id)
      .executeTakeFirst();
    return row?.user_id;
  }

  async voidTokens(userId: string, purpose: TokenPurpose, now: Date): Promise<void> {
    await this.#db
      .updateTable('one_time_tokens')
      .set({ used_at: now.toISOString() })
      .where('user_id', '=', userId)
      .where('purpose', '=', purpose)
      .where('used_at', 'is', null)
      .execute();
  }
}
