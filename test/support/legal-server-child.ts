// A real Conclave server in its own process, for the durability test that kills it with SIGKILL.
// Prints `READY <url>` once listening.
import { join } from 'node:path';
import { loadConfig } from '../../apps/server/src/config/config';
import { loadSecretKey } from '../../apps/server/src/config/secret-key';
import { createLogger } from '../../apps/server/src/logger';
import { startServer } from '../../apps/server/src/server';
import { ColumnCipher } from '../../apps/server/src/storage/column-cipher';
import { openSqlite } from '../../apps/server/src/storage/sqlite/database';
import { sqlStores } from '../../apps/server/src/storage/sql-stores';

const dataDir = process.argv[2]!;
const config = loadConfig(
  {},
  {
    host: '127.0.0.1',
    port: 0,
    dataDir,
    logLevel: 'silent',
    webRoot: join(dataDir, 'no-web'),
    media: { workers: 1, keyframeRequestMinIntervalMs: 500 },
    auth: {
      sessionTtlHours: 1,
      maxFailedLogins: 50,
      lockoutMinutes: 1,
      loginAttemptsPerMinute: 5000,
    },
  },
);
const db = await openSqlite(join(dataDir, 'conclave.sqlite'));
const secretKey = loadSecretKey(config).key;
const server = await startServer({
  config,
  logger: createLogger('silent'),
  db,
  secretKey,
  stores: sqlStores(db, new ColumnCipher(secretKey)),
});
process.stdout.write(`READY ${server.url}\n`);
