// A real Conclave server in its own process with the web app, for the crash test that kills it
// with SIGKILL mid-recording. argv: dataDir [setup]. With "setup", first creates an account on
// a plan with cloud recording, allowed by its admin. Prints `READY <url>` once listening.
import { join } from 'node:path';
import { loadConfig } from '../../apps/server/src/config/config';
import { loadSecretKey } from '../../apps/server/src/config/secret-key';
import { createLogger } from '../../apps/server/src/logger';
import { createAccountWithOwner } from '../../apps/server/src/modules/accounts/account-setup';
import { startServer } from '../../apps/server/src/server';
import { ColumnCipher } from '../../apps/server/src/storage/column-cipher';
import { openSqlite } from '../../apps/server/src/storage/sqlite/database';
import { sqlStores } from '../../apps/server/src/storage/sql-stores';
import { CRASH_OWNER } from './recordings';

const dataDir = process.argv[2]!;
const config = loadConfig(
  {},
  {
    host: '127.0.0.1',
    port: 0,
    dataDir,
    logLevel: (process.env.CONCLAVE_TEST_LOG ?? 'silent') as 'silent',
    webRoot: new URL('../../apps/web/dist', import.meta.url).pathname,
    media: { workers: 1, keyframeRequestMinIntervalMs: 500 },
  },
);
const db = await openSqlite(join(dataDir, 'conclave.sqlite'));
const secretKey = loadSecretKey(config).key;
const stores = sqlStores(db, new ColumnCipher(secretKey));
if (process.argv[3] === 'setup') {
  const { accountId } = await createAccountWithOwner(stores, {
    name: 'Clinic',
    ownerEmail: CRASH_OWNER.email,
    ownerName: 'Olga Owner',
    ownerPassword: CRASH_OWNER.password,
    plan: 'pro',
  });
  await stores.recordings.saveSettings(accountId, { allowCloudRecording: true, retentionDays: 30 });
}
const server = await startServer({
  config,
  logger: createLogger(config.logLevel),
  db,
  secretKey,
  stores,
});
process.stdout.write(`READY ${server.url}\n`);
