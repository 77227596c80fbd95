import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { expect, it } from 'vitest';
import { ColumnCipher, SecretKeyMismatchError } from './column-cipher';
import { requesterRecord } from './legal-store-contract';
import type { Database } from './schema';
import { checkSecretKey, rotateSecretKey, sealClearSecrets } from './secret-columns';
import { sqlStores } from './sql-stores';
import type { SqlStores } from './sql-stores';

const T = new Date('2026-01-01T10:00:00.000Z');
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

/** TOTP secrets at rest, on every adapter (part of storeContract). */
export function secretColumnsContract(
  get: () => { stores: SqlStores; db: Kysely<Database>; cipher: ColumnCipher },
): void {
  const newUser = async (s: SqlStores) => {
    const accountId = randomUUID();
    await s.accounts.insertAccount({
      id: accountId,
      name: 'Acme',
      plan: 'basic',
      meetingSettings: {
        allowE2ee: false,
        unsupportedClientPolicy: 'downgrade',
        waitingRoomByDefault: false,
        passcodeRequired: false,
      },
      requireTwoFactor: false,
      location: { country: null, subdivision: null },
      createdAt: T,
    });
    const id = randomUUID();
    await s.users.insertUser({
      id,
      accountId,
      email: `${id}@example.org`,
      name: 'Ada',
      role: 'member',
      status: 'active',
      passwordHash: 'h',
      totpSecret: null,
      totpPendingSecret: null,
      totpLastStep: 0,
      failedLogins: 0,
      lockedUntil: null,
      createdAt: T,
    });
    return id;
  };
  const rawUser = (db: Kysely<Database>, id: string) =>
    db
      .selectFrom('users')
      .select(['totp_secret', 'totp_pending_secret'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();

  // First of these tests: the later ones leave rows on purpose that no key opens.
  it('secrets: rotation re-encrypts every value under the new key, or nothing at all', async () => {
    const { stores: s, db, cipher } = get();
    const id = await newUser(s);
    await s.users.updateUser(id, { totpSecret: SECRET });
    const next = new ColumnCipher(randomBytes(32));
    const stray = await newUser(s);
    await sqlStores(db, new ColumnCipher(randomBytes(32))).users.updateUser(stray, {
      totpPendingSecret: SECRET,
    });
    const strayRaw = await rawUser(db, stray);
    await expect(rotateSecretKey(db, cipher, next)).rejects.toThrow(
      /Nothing was rotated: 1 stored secret\(s\) do not open/,
    );
    expect(await s.users.findUserById(id)).toMatchObject({ totpSecret: SECRET });
    expect(await rawUser(db, stray)).toEqual(strayRaw);
    await s.users.updateUser(stray, { totpPendingSecret: null });

    expect(await rotateSecretKey(db, cipher, next)).toBeGreaterThanOrEqual(1);
    expect(await sqlStores(db, next).users.findUserById(id)).toMatchObject({ totpSecret: SECRET });
    await expect(s.users.findUserById(id)).rejects.toThrow(SecretKeyMismatchError);
    // Back to the contract's key for the tests that follow.
    await rotateSecretKey(db, next, cipher);
    expect(await s.users.findUserById(id)).toMatchObject({ totpSecret: SECRET });
  });

  it('secrets: a user TOTP secret is stored as v1 ciphertext and read back in clear', async () => {
    const { stores: s, db } = get();
    const id = await newUser(s);
    await s.users.updateUser(id, { totpPendingSecret: SECRET });
    let raw = await rawUser(db, id);
    expect(raw.totp_pending_secret).toMatch(/^v1:[A-Za-z0-9_-]+$/);
    expect(raw.totp_pending_secret).not.toContain(SECRET);
    await s.users.updateUser(id, { totpSecret: SECRET, totpPendingSecret: null });
    raw = await rawUser(db, id);
    expect(raw.totp_secret).toMatch(/^v1:/);
    expect(raw.totp_secret).not.toContain(SECRET);
    expect(raw.totp_pending_secret).toBeNull();
    expect(await s.users.findUserById(id)).toMatchObject({
      totpSecret: SECRET,
      totpPendingSecret: null,
    });
    // A fresh nonce each time: the same secret never gives the same ciphertext.
    await s.users.updateUser(id, { totpSecret: SECRET });
    expect((await rawUser(db, id)).totp_secret).not.toBe(raw.totp_secret);
  });

  it('secrets: a requester TOTP secret is stored as ciphertext from insert and update', async () => {
    const { stores: s, db } = get();
    const agencyId = randomUUID();
    const domain = `${agencyId.slice(0, 8)}.example.gov`;
    await s.legal.requesters.insertAgency({
      id: agencyId,
      name: 'Police',
      country: 'US',
      subdivision: 'CA',
      level: 'state',
      emailDomains: [domain],
      createdAt: T,
    });
    const id = randomUUID();
    await s.legal.requesters.insertRequester(
      requesterRecord(agencyId, `jane@${domain}`, { id, totpPendingSecret: SECRET }),
    );
    const raw = () =>
      db
        .selectFrom('legal_requesters')
        .select(['totp_secret', 'totp_pending_secret'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
    expect((await raw()).totp_pending_secret).toMatch(/^v1:/);
    await s.legal.requesters.updateRequester(id, { totpSecret: SECRET, totpPendingSecret: null });
    const after = await raw();
    expect(after.totp_secret).toMatch(/^v1:/);
    expect(JSON.stringify(after)).not.toContain(SECRET);
    expect(await s.legal.requesters.findRequesterById(id)).toMatchObject({ totpSecret: SECRET });
    // Inside a legal transaction the repository seals and opens with the same key.
    const inTx = await s.legal.transaction((tx) => tx.requesters.findRequesterById(id));
    expect(inTx?.totpSecret).toBe(SECRET);
  });

  it('secrets: a ciphertext copied to another user or column does not decrypt', async () => {
    const { stores: s, db } = get();
    const victim = await newUser(s);
    const attacker = await newUser(s);
    await s.users.updateUser(victim, { totpSecret: SECRET });
    const { totp_secret: sealed } = await rawUser(db, victim);
    await db.updateTable('users').set({ totp_secret: sealed }).where('id', '=', attacker).execute();
    await expect(s.users.findUserById(attacker)).rejects.toThrow(SecretKeyMismatchError);
    await db
      .updateTable('users')
      .set({ totp_secret: null, totp_pending_secret: sealed })
      .where('id', '=', victim)
      .execute();
    await expect(s.users.findUserById(victim)).rejects.toThrow(/does not match/);
  });

  it('secrets: a clear-text row from before encryption still reads, and the start-up pass seals it', async () => {
    const { stores: s, db } = get();
    const id = await newUser(s);
    await db.updateTable('users').set({ totp_secret: SECRET }).where('id', '=', id).execute();
    expect((await s.users.findUserById(id))?.totpSecret).toBe(SECRET);
    const { cipher } = get();
    expect(await sealClearSecrets(db, cipher)).toBe(1);
    expect((await rawUser(db, id)).totp_secret).toMatch(/^v1:/);
    expect((await s.users.findUserById(id))?.totpSecret).toBe(SECRET);
    expect(await sealClearSecrets(db, cipher)).toBe(0);
  });

  it('secrets: another key fails with an error that says the key does not match', async () => {
    const { stores: s, db } = get();
    const id = await newUser(s);
    await s.users.updateUser(id, { totpSecret: SECRET });
    const other = sqlStores(db, new ColumnCipher(randomBytes(32)));
    const err: unknown = await other.users.findUserById(id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SecretKeyMismatchError);
    expect((err as Error).message).toMatch(/secret key .* does not match/);
    expect((err as Error).message).not.toContain(SECRET);
  });

  it('secrets: start-up refuses a key that opens none of the stored secrets, and takes the right one', async () => {
    const { stores: s, db, cipher } = get();
    await s.users.updateUser(await newUser(s), { totpSecret: SECRET });
    // Rows copied by hand earlier in this suite do not open either; the right key still passes.
    await expect(checkSecretKey(db, cipher)).resolves.toBeUndefined();
    await expect(checkSecretKey(db, new ColumnCipher(randomBytes(32)))).rejects.toThrow(
      /secret key does not match this database: none of \d+ stored TOTP secrets decrypt/,
    );
  });
}
