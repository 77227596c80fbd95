import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';
import { loadSecretKey } from './secret-key';

const root = mkdtempSync(join(tmpdir(), 'conclave-key-'));
const freshDir = (name: string) => join(root, name);

describe('server secret key', () => {
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('is generated on first start into <dataDir>/secret.key with mode 0600, then reused', () => {
    const dataDir = freshDir('first');
    const first = loadSecretKey({ dataDir });
    expect(first).toMatchObject({ source: 'file', generated: true });
    expect(first.file).toBe(join(dataDir, 'secret.key'));
    expect(first.key).toHaveLength(32);
    expect(statSync(first.file!).mode & 0o777).toBe(0o600);
    expect(readFileSync(first.file!, 'utf8').trim()).toBe(first.key.toString('hex'));
    const second = loadSecretKey({ dataDir });
    expect(second.generated).toBe(false);
    expect(second.key.equals(first.key)).toBe(true);
  });

  it('comes from config as 64 hex characters or base64, and then no file is written', () => {
    const key = randomBytes(32);
    const dataDir = freshDir('configured');
    expect(loadSecretKey({ dataDir, secretKey: key.toString('hex') }).key.equals(key)).toBe(true);
    expect(loadSecretKey({ dataDir, secretKey: key.toString('base64') }).key.equals(key)).toBe(
      true,
    );
    expect(loadSecretKey({ dataDir, secretKey: key.toString('base64url') }).source).toBe('config');
    expect(() => statSync(join(dataDir, 'secret.key'))).toThrow();
  });

  it('CONCLAVE_SECRET_KEY overrides the file; a malformed one is a configuration error', () => {
    const hex = randomBytes(32).toString('hex');
    expect(loadConfig({ CONCLAVE_SECRET_KEY: hex }).secretKey).toBe(hex);
    for (const bad of ['abc', 'zz'.repeat(32), randomBytes(16).toString('base64')])
      expect(() => loadConfig({ CONCLAVE_SECRET_KEY: bad })).toThrow(
        /secretKey: must be 64 hex characters or the base64 of 32 bytes/,
      );
  });

  it('a malformed key file stops start-up naming the file, without replacing it', () => {
    const dataDir = freshDir('broken');
    loadSecretKey({ dataDir });
    const file = join(dataDir, 'secret.key');
    writeFileSync(file, 'not a key\n');
    expect(() => loadSecretKey({ dataDir })).toThrow(ConfigError);
    expect(() => loadSecretKey({ dataDir })).toThrow(file);
    expect(readFileSync(file, 'utf8')).toBe('not a key\n');
  });

  it('warns when the key file is open to other users, and not when it is 0600', () => {
    const dataDir = freshDir('loose');
    const first = loadSecretKey({ dataDir });
    expect(first.warning).toBeUndefined();
    chmodSync(first.file!, 0o644);
    expect(loadSecretKey({ dataDir }).warning).toMatch(
      /open to other users \(mode 0644\): run chmod 600/,
    );
  });
});
