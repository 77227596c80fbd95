import type { Kysely } from 'kysely';
import { ColumnCipher, SecretKeyMismatchError } from './column-cipher';
import type { Database } from './schema';

const TABLES = ['users', 'legal_requesters'] as const;
const COLUMNS = ['totp_secret', 'totp_pending_secret'] as const;

/**
 * Refuses a key that opens none of the stored secrets (a wrong CONCLAVE_SECRET_KEY, or a data dir
 * restored without its secret.key): main.ts runs it before anything else touches the columns,
 * so a wrong key stops start-up instead of failing every 2FA sign-in, and the legacy pass below
 * never seals under it. One value that does not open (a row copied or altered by hand) is not
 * enough to refuse; that row fails on its own with the same error.
 */
export async function checkSecretKey(
  db: Kysely<Database>,
  cipher: ColumnCipher,
  sample = 20,
): Promise<void> {
  let tried = 0;
  for (const table of TABLES) {
    for (const column of COLUMNS) {
      const rows = await db
        .selectFrom(table)
        .select(['id', column])
        .where(column, 'like', 'v1:%')
        .limit(sample)
        .execute();
      for (const row of rows) {
        tried += 1;
        try {
          cipher.open(`${table}.${column}`, row.id, row[column]);
          return;
        } catch (err) {
          if (!(err instanceof SecretKeyMismatchError)) throw err;
        }
      }
    }
  }
  if (tried > 0)
    throw new SecretKeyMismatchError(
      `The server secret key does not match this database: none of ${tried} stored TOTP ` +
        'secrets decrypt with it. Supply the key that encrypted them (secretKey / ' +
        'CONCLAVE_SECRET_KEY, or secret.key in the data directory).',
    );
}

/**
 * Seals TOTP secrets written in clear before encryption at rest existed. main.ts runs it once
 * per start, after migrations; the stores read clear values meanwhile (column-cipher.ts `open`).
 * Each update is guarded by the old value, so a concurrent enrolment is never overwritten and
 * two processes running the pass at once seal a value once. Returns how many values it sealed.
 */
export async function sealClearSecrets(
  db: Kysely<Database>,
  cipher: ColumnCipher,
): Promise<number> {
  let sealed = 0;
  for (const table of TABLES) {
    for (const column of COLUMNS) {
      const rows = await db
        .selectFrom(table)
        .select(['id', column])
        .where(column, 'is not', null)
        .where(column, 'not like', 'v1:%')
        .execute();
      for (const row of rows) {
        const clear = row[column];
        if (clear === null || ColumnCipher.isSealed(clear)) continue;
        const res = await db
          .updateTable(table)
          .set({ [column]: cipher.seal(`${table}.${column}`, row.id, clear) })
          .where('id', '=', row.id)
          .where(column, '=', clear)
          .executeTakeFirst();
        sealed += Number(res.numUpdatedRows);
      }
    }
  }
  return sealed;
}

/**
 * Re-encrypts every stored TOTP secret from `from` to `to` in one transaction (values still in
 * clear are sealed too). All or nothing: a value `from` cannot open aborts the rotation and names
 * its rows, so nothing ends up under two keys. Returns how many values it re-encrypted.
 */
export async function rotateSecretKey(
  db: Kysely<Database>,
  from: ColumnCipher,
  to: ColumnCipher,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    let rotated = 0;
    const unreadable: string[] = [];
    for (const table of TABLES) {
      for (const column of COLUMNS) {
        const rows = await trx
          .selectFrom(table)
          .select(['id', column])
          .where(column, 'is not', null)
          .execute();
        for (const row of rows) {
          const stored = row[column];
          if (stored === null) continue;
          let clear: string | null;
          try {
            clear = from.open(`${table}.${column}`, row.id, stored);
          } catch (err) {
            if (!(err instanceof SecretKeyMismatchError)) throw err;
            unreadable.push(`${table}.${column} of ${row.id}`);
            continue;
          }
          await trx
            .updateTable(table)
            .set({ [column]: to.seal(`${table}.${column}`, row.id, clear) })
            .where('id', '=', row.id)
            .execute();
          rotated += 1;
        }
      }
    }
    if (unreadable.length > 0)
      throw new SecretKeyMismatchError(
        `Nothing was rotated: ${unreadable.length} stored secret(s) do not open with the current ` +
          `key (${unreadable.slice(0, 5).join(', ')}${unreadable.length > 5 ? ', …' : ''}). ` +
          'Reset those users with `conclave user reset-2fa --email …` first.',
      );
    return rotated;
  });
}
