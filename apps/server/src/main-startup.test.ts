import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createAccountWithOwner } from './modules/accounts/account-setup';
import { ColumnCipher } from './storage/column-cipher';
import { openSqlite } from './storage/sqlite/database';
import { sqlStores } from './storage/sql-stores';

// Starting the real server (main.ts) against a database whose TOTP secrets were sealed under
// another key: the operator gets one clear line and exit code 2, not a stack trace.

const main = new URL('./main.ts', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'conclave-startup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('server start-up with the wrong secret key', { timeout: 60_000 }, () => {
  it('refuses to start, says the key does not match, exit code 2', async () => {
    const db = await openSqlite(join(dir, 'conclave.sqlite'));
    try {
      const stores = sqlStores(db, new ColumnCipher(randomBytes(32)));
      await createAccountWithOwner(stores, {
        name: 'Acme',
        ownerEmail: 'olga@acme.test',
        ownerName: 'Olga',
        ownerPassword: 'correct horse battery',
      });
      const user = (await stores.users.findUserByEmail('olga@acme.test'))!;
      await stores.users.updateUser(user.id, { totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' });
    } finally {
      await db.destroy();
    }
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      CONCLAVE_DATA_DIR: dir,
      CONCLAVE_SECRET_KEY: randomBytes(32).toString('hex'),
      PORT: '0',
    };
    delete env.DATABASE_URL;
    const { code, stderr } = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', main],
        { env, timeout: 30_000 },
        (err, _o, e) =>
          resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stderr: e }),
      );
    });
    expect(stderr).toMatch(/does not match/);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(code).toBe(2);
  });
});
