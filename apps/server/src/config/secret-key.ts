import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, parseSecretKey, SECRET_KEY_FORMAT } from './config';

// The server secret key that encrypts secret columns at rest (storage/column-cipher.ts). From
// `secretKey` / CONCLAVE_SECRET_KEY when set, else from `<dataDir>/secret.key`, which the first
// start creates. Keep it out of database backups: with both, the TOTP seeds are readable.

export const SECRET_KEY_FILE = 'secret.key';
const KEY_BYTES = 32;

/**
 * The key the server and the CLI use. `generated` is true when this call created the file (a
 * fresh install); the key itself is never logged.
 */
export function loadSecretKey(config: { secretKey?: string | undefined; dataDir: string }): {
  key: Buffer;
  source: 'config' | 'file';
  file?: string;
  generated: boolean;
  /** Set when the key file is readable or writable by group or others: say it at start-up. */
  warning?: string;
} {
  if (config.secretKey !== undefined) {
    const key = parseSecretKey(config.secretKey);
    if (!key) throw new ConfigError(`Invalid configuration:\n  secretKey: ${SECRET_KEY_FORMAT}`);
    return { key, source: 'config', generated: false };
  }
  const file = join(config.dataDir, SECRET_KEY_FILE);
  mkdirSync(config.dataDir, { recursive: true });
  let generated = false;
  try {
    // `wx`: create only if absent, so two processes starting at once cannot both write a key.
    writeFileSync(file, `${randomBytes(KEY_BYTES).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
    generated = true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const key = parseSecretKey(readFileSync(file, 'utf8'));
  if (!key) throw new ConfigError(`The secret key file ${file} ${SECRET_KEY_FORMAT}.`);
  const mode = statSync(file).mode & 0o777;
  if (mode & 0o077)
    return {
      key,
      source: 'file',
      file,
      generated,
      warning: `The secret key file ${file} is open to other users (mode ${mode.toString(8).padStart(4, '0')}): run chmod 600 on it.`,
    };
  return { key, source: 'file', file, generated };
}
