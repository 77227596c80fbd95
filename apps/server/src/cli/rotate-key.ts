import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import type { Kysely } from 'kysely';
import { parseSecretKey, SECRET_KEY_FORMAT } from '../config/config';
import { loadSecretKey } from '../config/secret-key';
import { ColumnCipher } from '../storage/column-cipher';
import type { Database } from '../storage/schema';
import { rotateSecretKey } from '../storage/secret-columns';
import { recordingKey } from '../modules/recordings/sealed-file';
import {
  discardRotation,
  finishRecordingRotation,
  resealRecordings,
} from '../modules/recordings/reseal';
import { UsageError } from './commands';

/**
 * `conclave secrets rotate-key [--new-key-stdin]` (server stopped): re-encrypts every stored TOTP
 * secret under a new key in one transaction, and re-seals every recording file under it (written
 * beside the originals first, renamed after the commit; see modules/recordings/reseal.ts). With the key in `<dataDir>/secret.key`, the new key
 * is written beside it as `secret.key.new` first and renamed over it after the commit, so a crash
 * leaves either the old state or both the new rows and the new key file. With the key in the
 * configuration (CONCLAVE_SECRET_KEY), the operator supplies the new key and then sets it there.
 */
export async function rotateKeyCommand(
  db: Kysely<Database>,
  config: { secretKey?: string | undefined; dataDir: string },
  newKeyText: string | undefined,
  recordingsDir: string,
): Promise<string> {
  const current = loadSecretKey(config);
  let next: Buffer;
  if (newKeyText === undefined) {
    if (current.source === 'config')
      throw new UsageError(
        'the key comes from CONCLAVE_SECRET_KEY / secretKey: pass the new key with --new-key-stdin, then set it there',
      );
    next = randomBytes(32);
  } else {
    const parsed = parseSecretKey(newKeyText);
    if (!parsed) throw new UsageError(`the new key ${SECRET_KEY_FORMAT}`);
    next = parsed;
  }
  if (next.equals(current.key)) throw new UsageError('the new key is the current key');
  const from = new ColumnCipher(current.key);
  const to = new ColumnCipher(next);
  const fromRec = recordingKey(current.key);
  // An earlier rotation interrupted after its commit is finished first, under the key in use.
  await finishRecordingRotation(recordingsDir, fromRec);
  const files = await resealRecordings(recordingsDir, fromRec, recordingKey(next));
  const done = (n: number) =>
    `Re-encrypted ${n} stored secret(s) and ${files} recording file(s) under`;
  const rotateRows = async () => {
    try {
      return await rotateSecretKey(db, from, to);
    } catch (err) {
      await discardRotation(recordingsDir);
      throw err;
    }
  };
  if (current.source === 'config') {
    const n = await rotateRows();
    await finishRecordingRotation(recordingsDir, recordingKey(next));
    return `${done(n)} the new key. Set CONCLAVE_SECRET_KEY (or secretKey) to the new key before starting the server.`;
  }
  const file = current.file!;
  const pending = `${file}.new`;
  writeFileSync(pending, `${next.toString('hex')}\n`, { mode: 0o600 });
  let n: number;
  try {
    n = await rotateRows();
  } catch (err) {
    rmSync(pending, { force: true });
    throw err;
  }
  renameSync(pending, file);
  await finishRecordingRotation(recordingsDir, recordingKey(next));
  return `${done(n)} a new key; ${file} now holds it (the old key is gone).`;
}
