import { accountRoleSchema } from '@conclave/protocol';
import { sql } from 'kysely';
import type { Kysely, Selectable, Updateable } from 'kysely';
import type {
  UserPatch,
  UserQuery,
  UserRecord,
  UserStatus,
  UserStore,
} from '../modules/accounts/user-store';
import type { ColumnCipher } from './column-cipher';
import type { Database, UsersTable } from './schema';

const STATUSES: readonly UserStatus[] = ['invited', 'active', 'deactivated'];

export class SqlUserStore implements UserStore {
  readonly #db: Kysely<Database>;
  readonly #cipher: ColumnCipher;
  /** `cipher` seals the TOTP secret columns (column-cipher.ts); there is no clear-text mode. */
  constructor(db: Kysely<Database>, cipher: ColumnCipher) {
    this.#db = db;
    this.#cipher = cipher;
  }

  async insertUser(u: UserRecord): Promise<boolean> {
    const result = await this.#db
      .insertInto('users')
      .values({
        id: u.id,
        account_id: u.accountId,
        email: u.email,
        name: u.name,
        role: u.role,
        status: u.status,
        password_hash: u.passwordHash,
        totp_secret: this.#cipher.seal('users.totp_secret', u.id, u.totpSecret),
        totp_pending_secret: this.#cipher.seal(
          'users.totp_pending_secret',
          u.id,
          u.totpPendingSecret,
        ),
        totp_last_step: u.totpLastStep,
        failed_logins: u.failedLogins,
        locked_until: u.lockedUntil?.toISOString() ?? null,
        created_at: u.createdAt.toISOString(),
      })
      .onConflict((oc) => oc.column('email').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  async findUserById(id: string): Promise<UserRecord | undefined> {
    const row = await this.#db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? this.#toUser(row) : undefined;
  }

  async findUserByEmail(email: string): Promise<UserRecord | undefined> {
    const row = await this.#db
      .selectFrom('users')
      .selectAll()
      .where('email', '=', email.toLowerCase())
      .executeTakeFirst();
    return row ? this.#toUser(row) : undefined;
  }

  async findUserRefByEmail(email: string) {
    const row = await this.#db
      .selectFrom('users')
      .select(['id', 'account_id', 'role'])
      .where('email', '=', email.toLowerCase())
      .executeTakeFirst();
    return (
      row && {
        id: row.id,
        accountId: row.account_id,
        role: accountRoleSchema.catch('member').parse(row.role),
      }
    );
  }

  async listUsers(
    accountId: string,
    query: UserQuery,
  ): Promise<{ users: UserRecord[]; total: number }> {
    let base = this.#db.selectFrom('users').where('account_id', '=', accountId);
    if (query.q) {
      // Plain-text search: LIKE wildcards in the query are escaped, values are bound parameters.
      const pattern = `%${query.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      // SQLite has no default LIKE escape character, so name it for both dialects.
      base = base.where(
        sql<boolean>`(lower(email) like ${pattern} escape '\\' or lower(name) like ${pattern} escape '\\')`,
      );
    }
    const [rows, count] = await Promise.all([
      base.selectAll().orderBy('email').limit(query.limit).offset(query.offset).execute(),
      base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { users: rows.map((r) => this.#toUser(r)), total: Number(count.n) };
  }

  async updateUser(id: string, patch: UserPatch): Promise<void> {
    const set: Updateable<UsersTable> = {};
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.role !== undefined) set.role = patch.role;
    if (patch.status !== undefined) set.status = patch.status;
    if (patch.passwordHash !== undefined) set.password_hash = patch.passwordHash;
    if (patch.totpSecret !== undefined)
      set.totp_secret = this.#cipher.seal('users.totp_secret', id, patch.totpSecret);
    if (patch.totpPendingSecret !== undefined)
      set.totp_pending_secret = this.#cipher.seal(
        'users.totp_pending_secret',
        id,
        patch.totpPendingSecret,
      );
    if (patch.totpLastStep !== undefined) set.totp_last_step = patch.totpLastStep;
    if (patch.failedLogins !== undefined) set.failed_logins = patch.failedLogins;
    if (patch.lockedUntil !== undefined)
      set.locked_until = patch.lockedUntil?.toISOString() ?? null;
    if (Object.keys(set).length === 0) return;
    await this.#db.updateTable('users').set(set).where('id', '=', id).execute();
  }

  async useTotpStep(id: string, step: number): Promise<boolean> {
    const result = await this.#db
      .updateTable('users')
      .set({ totp_last_step: step })
      .where('id', '=', id)
      .where('totp_last_step', '<', step)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async countActiveOwners(accountId: string): Promise<number> {
    const row = await this.#db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('account_id', '=', accountId)
      .where('role', '=', 'owner')
      .where('status', '=', 'active')
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async replaceRecoveryCodes(userId: string, codeHashes: string[]): Promise<void> {
    await this.#db.transaction().execute(async (tx) => {
      await tx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
      if (codeHashes.length)
        await tx
          .insertInto('recovery_codes')
          .values(codeHashes.map((id) => ({ id, user_id: userId, used_at: null })))
          .execute();
    });
  }

  async useRecoveryCode(userId: string, codeHash: string, at: Date): Promise<boolean> {
    const result = await this.#db
      .updateTable('recovery_codes')
      .set({ used_at: at.toISOString() })
      .where('id', '=', codeHash)
      .where('user_id', '=', userId)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async countUnusedRecoveryCodes(userId: string): Promise<number> {
    const row = await this.#db
      .selectFrom('recovery_codes')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('user_id', '=', userId)
      .where('used_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  #toUser(row: Selectable<UsersTable>): UserRecord {
    return {
      ...toUser(row),
      totpSecret: this.#cipher.open('users.totp_secret', row.id, row.totp_secret),
      totpPendingSecret: this.#cipher.open(
        'users.totp_pending_secret',
        row.id,
        row.totp_pending_secret,
      ),
    };
  }
}

/** The row as stored; the TOTP columns are still sealed (`#toUser` opens them). */
function toUser(row: Selectable<UsersTable>): UserRecord {
  return {
    id: row.id,
    accountId: row.account_id,
    email: row.email,
    name: row.name,
    role: accountRoleSchema.catch('member').parse(row.role),
    status: STATUSES.includes(row.status as UserStatus)
      ? (row.status as UserStatus)
      : 'deactivated',
    passwordHash: row.password_hash,
    totpSecret: row.totp_secret,
    totpPendingSecret: row.totp_pending_secret,
    totpLastStep: Number(row.totp_last_step),
    failedLogins: Number(row.failed_logins),
    lockedUntil: row.locked_until ? new Date(row.locked_until) : null,
    createdAt: new Date(row.created_at),
  };
}
