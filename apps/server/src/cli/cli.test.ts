import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../modules/accounts/secrets';
import { loadSecretKey } from '../config/secret-key';
import { openSealed, recordingKey, SealedFileWriter } from '../modules/recordings/sealed-file';
import { ColumnCipher } from '../storage/column-cipher';
import { openSqlite } from '../storage/sqlite/database';
import { sqlStores } from '../storage/sql-stores';

const main = new URL('./main.ts', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'conclave-cli-'));
const db = join(dir, 'cli.sqlite');
// The key the CLI reads from its data dir (created here, reused by each `conclave` run).
const cipher = new ColumnCipher(loadSecretKey({ dataDir: dir }).key);

/** Runs the CLI as a child process, the way an operator does. */
function conclave(
  args: string[],
  stdin?: string,
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, CONCLAVE_DATA_DIR: dir, ...extraEnv };
    delete env.DATABASE_URL;
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', main, ...args],
      { env, timeout: 30_000 },
      (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr });
      },
    );
    if (stdin !== undefined) child.stdin?.end(stdin);
  });
}

async function storedUser(email: string) {
  const k = await openSqlite(db);
  try {
    return await sqlStores(k, cipher).users.findUserByEmail(email);
  } finally {
    await k.destroy();
  }
}

// Each run starts Node with tsx (~2 s on this machine), hence the generous timeout.
describe('conclave CLI', { timeout: 90_000 }, () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('--help lists the commands', async () => {
    const { code, out } = await conclave(['--help']);
    expect(code).toBe(0);
    for (const c of ['migrate', 'admin create-account', 'user reset-password'])
      expect(out).toContain(c);
  });

  it('migrate applies the numbered migrations once', async () => {
    expect(await conclave(['migrate', '--db', db])).toMatchObject({
      code: 0,
      out: expect.stringContaining('0003-accounts'),
    });
    expect((await conclave(['migrate', '--db', db])).out).toContain('Already up to date.');
  });

  it('admin create-account creates an owner whose password verifies; a second time is refused', async () => {
    const args = [
      'admin',
      'create-account',
      '--name',
      'Acme',
      '--email',
      'Boss@Acme.test',
      '--plan',
      'business',
      '--db',
      db,
    ];
    const first = await conclave([...args, '--password', 'correct horse battery']);
    expect(first.code).toBe(0);
    expect(first.out).toContain('plan business');
    expect(first.out).not.toContain('correct horse battery');
    const user = await storedUser('boss@acme.test');
    expect(user).toMatchObject({ role: 'owner', status: 'active' });
    expect(await verifyPassword(user!.passwordHash, 'correct horse battery')).toBe(true);
    const again = await conclave([...args, '--password', 'correct horse battery']);
    expect(again).toMatchObject({ code: 2, out: expect.stringContaining('already exists') });
  });

  it('refuses bad input with exit code 2 and a message naming the option', async () => {
    const short = await conclave([
      'admin',
      'create-account',
      '--name',
      'X',
      '--email',
      'x@y.test',
      '--password',
      'short',
      '--db',
      db,
    ]);
    expect(short).toMatchObject({ code: 2, out: expect.stringContaining('--password') });
    const badEmail = await conclave([
      'admin',
      'create-account',
      '--name',
      'X',
      '--email',
      "x'; drop table users;--",
      '--password',
      'correct horse battery',
      '--db',
      db,
    ]);
    expect(badEmail).toMatchObject({ code: 2, out: expect.stringContaining('--email') });
    expect((await conclave(['frobnicate'])).code).toBe(2);
    expect((await conclave(['migrate', '--bogus'])).code).toBe(2);
  });

  it('user reset-password sets a password from stdin, or prints a generated one once', async () => {
    const fromStdin = await conclave(
      ['user', 'reset-password', '--email', 'boss@acme.test', '--password-stdin', '--db', db],
      'a fresh long passphrase\n',
    );
    expect(fromStdin.code).toBe(0);
    expect(
      await verifyPassword(
        (await storedUser('boss@acme.test'))!.passwordHash,
        'a fresh long passphrase',
      ),
    ).toBe(true);
    const generated = await conclave([
      'user',
      'reset-password',
      '--email',
      'boss@acme.test',
      '--db',
      db,
    ]);
    const password = /shown once\): (\S+)/.exec(generated.out)?.[1];
    expect(password).toBeDefined();
    expect(
      await verifyPassword((await storedUser('boss@acme.test'))!.passwordHash, password!),
    ).toBe(true);
    expect(
      (await conclave(['user', 'reset-password', '--email', 'nobody@acme.test', '--db', db])).code,
    ).toBe(2);
  });

  it('audit verify reports a sound chain, then the first entry changed with raw SQL', async () => {
    const k = await openSqlite(db);
    try {
      const legal = sqlStores(k, cipher).legal;
      for (let i = 0; i < 3; i++)
        await legal.transaction((tx) =>
          tx.audit.append({
            at: new Date(),
            actorKind: 'system',
            actorId: 'cli-test',
            action: 'request.viewed',
            entity: 'request',
            entityId: `r${i}`,
            requestId: null,
            detail: { i },
          }),
        );
    } finally {
      await k.destroy();
    }
    const ok = await conclave(['audit', 'verify', '--db', db]);
    expect(ok).toMatchObject({ code: 0 });
    expect(ok.out).toMatch(/Audit chain OK: 3 entries/);
    const raw = new SQLite(db);
    raw.prepare('update legal_audit set detail = \'{"i":7}\' where seq = 2').run();
    raw.close();
    const broken = await conclave(['audit', 'verify', '--db', db]);
    expect(broken.code).toBe(1);
    expect(broken.out).toMatch(/BROKEN at entry 2: hash mismatch/);
  });

  it('admin set-account-location records an ISO country and subdivision; bad codes exit 2', async () => {
    const accountId = (await storedUser('boss@acme.test'))!.accountId;
    const ok = await conclave([
      'admin',
      'set-account-location',
      '--account',
      accountId,
      '--country',
      'us',
      '--subdivision',
      'ca',
      '--db',
      db,
    ]);
    expect(ok.out).toMatch(/located in US-CA/);
    const k = await openSqlite(db);
    try {
      expect(await sqlStores(k, cipher).subjects.account(accountId)).toMatchObject({
        country: 'US',
        subdivision: 'CA',
      });
    } finally {
      await k.destroy();
    }
    const bad = await conclave([
      'admin',
      'set-account-location',
      '--account',
      accountId,
      '--country',
      'USA',
      '--db',
      db,
    ]);
    expect(bad.code).toBe(2);
    expect(bad.out).toMatch(/--country/);
  });

  it('reads users with the server key from the data dir; another key fails saying it does not match', async () => {
    const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
    const k = await openSqlite(db);
    try {
      const users = sqlStores(k, cipher).users;
      const boss = (await users.findUserByEmail('boss@acme.test'))!;
      await users.updateUser(boss.id, { totpSecret: secret });
    } finally {
      await k.destroy();
    }
    const args = ['user', 'reset-password', '--email', 'boss@acme.test', '--password-stdin'];
    const ok = await conclave([...args, '--db', db], 'a third long passphrase\n');
    expect(ok.code).toBe(0);
    expect(await storedUser('boss@acme.test')).toMatchObject({ totpSecret: secret });
    const wrong = await conclave([...args, '--db', db], 'a fourth long passphrase\n', {
      CONCLAVE_SECRET_KEY: randomBytes(32).toString('hex'),
    });
    expect(wrong.code).toBe(1);
    expect(wrong.out).toMatch(/secret key .* does not match/);
    expect(wrong.out).not.toContain(secret);
    const malformed = await conclave([...args, '--db', db], 'x\n', {
      CONCLAVE_SECRET_KEY: 'not-a-key',
    });
    expect(malformed).toMatchObject({ code: 2, out: expect.stringContaining('secretKey') });
  });

  it('user reset-2fa turns 2FA off even when the stored secret no longer opens with the key', async () => {
    const k = await openSqlite(db);
    try {
      // Sealed under a key that is not the server's: findUserByEmail would fail on this row.
      const other = sqlStores(k, new ColumnCipher(randomBytes(32))).users;
      const boss = (await other.findUserRefByEmail('boss@acme.test'))!;
      await other.updateUser(boss.id, { totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' });
    } finally {
      await k.destroy();
    }
    await expect(storedUser('boss@acme.test')).rejects.toThrow(/does not match/);
    const { code, out } = await conclave([
      'user',
      'reset-2fa',
      '--email',
      'boss@acme.test',
      '--db',
      db,
    ]);
    expect(out).toContain('Two-factor sign-in turned off for boss@acme.test');
    expect(code).toBe(0);
    expect(await storedUser('boss@acme.test')).toMatchObject({
      totpSecret: null,
      totpPendingSecret: null,
    });
    const nobody = await conclave(['user', 'reset-2fa', '--email', 'nobody@acme.test', '--db', db]);
    expect(nobody).toMatchObject({
      code: 2,
      out: expect.stringContaining('no user with the email'),
    });
  });

  it('secrets rotate-key re-encrypts every secret under a new key file, all or nothing', async () => {
    const keyFile = join(dir, 'secret.key');
    const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
    const setBossSecret = async (c: ColumnCipher) => {
      const k = await openSqlite(db);
      try {
        const users = sqlStores(k, c).users;
        const boss = (await users.findUserRefByEmail('boss@acme.test'))!;
        await users.updateUser(boss.id, { totpSecret: secret });
      } finally {
        await k.destroy();
      }
    };
    const bossWith = async (c: ColumnCipher) => {
      const k = await openSqlite(db);
      try {
        return (await sqlStores(k, c).users.findUserByEmail('boss@acme.test'))?.totpSecret;
      } finally {
        await k.destroy();
      }
    };
    const rotate = () => conclave(['secrets', 'rotate-key', '--db', db]);

    // A cloud recording sealed under the current key (recordings/<id>/<file>).
    const recording = join(dir, 'recordings', 'rec-1', 'composed.webm');
    mkdirSync(join(dir, 'recordings', 'rec-1'), { recursive: true });
    const footage = randomBytes(3000);
    const sealWith = async (path: string, key: Buffer) => {
      const w = await SealedFileWriter.create(path, recordingKey(key));
      w.write(footage);
      await w.close();
    };
    const footageWith = async (path: string, key: Buffer) => {
      const parts: Buffer[] = [];
      for await (const c of openSealed(path, recordingKey(key)).chunks) parts.push(c);
      return Buffer.concat(parts);
    };
    await sealWith(recording, loadSecretKey({ dataDir: dir }).key);

    // One secret the current key cannot open: nothing changes, the user is named.
    await setBossSecret(new ColumnCipher(randomBytes(32)));
    const before = readFileSync(keyFile, 'utf8');
    const refused = await rotate();
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(/Nothing was rotated: 1 stored secret\(s\) do not open/);
    expect(readFileSync(keyFile, 'utf8')).toBe(before);
    expect(existsSync(`${keyFile}.new`)).toBe(false);
    expect(existsSync(`${recording}.rotating`)).toBe(false);
    expect(await footageWith(recording, loadSecretKey({ dataDir: dir }).key)).toEqual(footage);

    // A recording file the current key cannot open: nothing changes either, the file is named.
    await setBossSecret(cipher);
    const foreign = join(dir, 'recordings', 'rec-1', 'foreign.webm');
    await sealWith(foreign, randomBytes(32));
    const refusedFile = await rotate();
    expect(refusedFile).toMatchObject({ code: 1, out: expect.stringContaining('foreign.webm') });
    expect(readFileSync(keyFile, 'utf8')).toBe(before);
    rmSync(foreign);

    const ok = await rotate();
    expect(ok.out).toMatch(
      /Re-encrypted 1 stored secret\(s\) and 1 recording file\(s\) under a new key/,
    );
    expect(ok.code).toBe(0);
    const after = readFileSync(keyFile, 'utf8');
    expect(after).not.toBe(before);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const next = new ColumnCipher(loadSecretKey({ dataDir: dir }).key);
    expect(await bossWith(next)).toBe(secret);
    await expect(bossWith(cipher)).rejects.toThrow(/does not match/);
    // The recording plays under the new key and no longer opens under the old one.
    expect(await footageWith(recording, loadSecretKey({ dataDir: dir }).key)).toEqual(footage);
    await expect(footageWith(recording, Buffer.from(before.trim(), 'hex'))).rejects.toThrow(
      /does not open/,
    );

    // A key from the environment is never replaced behind the operator's back.
    const fromEnv = await conclave(['secrets', 'rotate-key', '--db', db], undefined, {
      CONCLAVE_SECRET_KEY: after.trim(),
    });
    expect(fromEnv).toMatchObject({ code: 2, out: expect.stringContaining('--new-key-stdin') });
  });
});
