import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSecretKey } from '../../apps/server/src/config/secret-key';
import { createAccountWithOwner } from '../../apps/server/src/modules/accounts/account-setup';
import { totpCodeAt } from '../../apps/server/src/modules/accounts/totp';
import { ColumnCipher } from '../../apps/server/src/storage/column-cipher';
import { sealClearSecrets } from '../../apps/server/src/storage/secret-columns';
import { ApiClient } from '../support/api-client';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

const PASSWORD = 'correct horse battery';
const pgUrl = process.env.CONCLAVE_TEST_POSTGRES_URL;
if (!pgUrl)
  console.warn(
    'TOTP at rest on PostgreSQL: SKIPPED (set CONCLAVE_TEST_POSTGRES_URL, e.g. postgres://postgres@127.0.0.1:5432/test)',
  );

function stories(dialect: string, opts: { postgresUrl?: string }) {
  describe(`TOTP secrets at rest (${dialect})`, () => {
    let server: TestServer;
    let n = 0;

    /** A user who enrolled in 2FA over the API; returns their secret and a signed-out client. */
    const enrolled = async () => {
      const email = `u${++n}@at-rest.test`;
      await createAccountWithOwner(server.stores, {
        name: 'Acme',
        ownerEmail: email,
        ownerName: 'Olga',
        ownerPassword: PASSWORD,
      });
      const c = new ApiClient(server.url);
      expect((await c.signIn(email, PASSWORD)).status).toBe(200);
      const { secret } = (await c.post('/api/auth/2fa/enroll')).body as { secret: string };
      const ok = await c.post('/api/auth/2fa/verify', { code: totpCodeAt(secret, new Date()) });
      expect(ok.status).toBe(200);
      const user = (await server.stores.users.findUserByEmail(email))!;
      return { email, secret, id: user.id };
    };
    const rawSecret = async (id: string) =>
      (
        await server.db
          .selectFrom('users')
          .select('totp_secret')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).totp_secret;
    /** Signs in with the code of a step not used yet (the enrolment spent the current one). */
    const signInWithCode = (email: string, secret: string, stepsAhead = 1) =>
      new ApiClient(server.url).signIn(email, PASSWORD, {
        totpCode: totpCodeAt(secret, new Date(Date.now() + stepsAhead * 30_000)),
      });

    beforeAll(async () => {
      server = await startTestServer(
        {
          auth: {
            sessionTtlHours: 1,
            maxFailedLogins: 50,
            lockoutMinutes: 15,
            loginAttemptsPerMinute: 1000,
          },
        },
        opts,
      );
    });
    afterAll(async () => {
      await server?.stop();
    });

    it('after enrolment the column holds ciphertext, and sign-in with a code still works', async () => {
      const u = await enrolled();
      const raw = await rawSecret(u.id);
      expect(raw).toMatch(/^v1:/);
      expect(raw).not.toContain(u.secret);
      expect((await signInWithCode(u.email, u.secret)).status).toBe(200);
    });

    it('the key was generated into the data dir with mode 0600, and reloading it gives the same key', async () => {
      const file = join(server.dataDir, 'secret.key');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const again = loadSecretKey({ dataDir: server.dataDir });
      expect(again.generated).toBe(false);
      // The reloaded key opens what the server sealed.
      const u = await enrolled();
      const sealed = await rawSecret(u.id);
      expect(new ColumnCipher(again.key).open('users.totp_secret', u.id, sealed)).toBe(u.secret);
    });

    it('a clear-text secret from before encryption signs in, and the start-up pass seals it', async () => {
      const u = await enrolled();
      await server.db
        .updateTable('users')
        .set({ totp_secret: u.secret, totp_last_step: 0 })
        .where('id', '=', u.id)
        .execute();
      expect((await signInWithCode(u.email, u.secret, 0)).status).toBe(200);
      const cipher = new ColumnCipher(loadSecretKey({ dataDir: server.dataDir }).key);
      expect(await sealClearSecrets(server.db, cipher)).toBe(1);
      expect(await rawSecret(u.id)).toMatch(/^v1:/);
      expect((await signInWithCode(u.email, u.secret, 1)).status).toBe(200);
    });

    it('a ciphertext moved to another user fails that sign-in with a 500, not a bypass, and the server keeps serving', async () => {
      const victim = await enrolled();
      const other = await enrolled();
      await server.db
        .updateTable('users')
        .set({ totp_secret: await rawSecret(victim.id) })
        .where('id', '=', other.id)
        .execute();
      const moved = await new ApiClient(server.url).signIn(other.email, PASSWORD);
      expect(moved.status).toBe(500);
      expect(moved.body.code).toBe('INTERNAL');
      // With the victim's code too: the moved value never opens.
      expect((await signInWithCode(other.email, victim.secret)).status).toBe(500);
      expect((await signInWithCode(victim.email, victim.secret)).status).toBe(200);
    });
  });
}

stories('SQLite', {});
if (pgUrl) stories('PostgreSQL', { postgresUrl: pgUrl });
