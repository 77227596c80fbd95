import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../apps/server/src/config/config';
import type { ConfigInput } from '../../apps/server/src/config/config';
import { loadSecretKey } from '../../apps/server/src/config/secret-key';
import { createLogger } from '../../apps/server/src/logger';
import { startServer } from '../../apps/server/src/server';
import type { RunningServer } from '../../apps/server/src/server';
import type { Clock } from '../../apps/server/src/modules/legal/deadlines';
import { ColumnCipher } from '../../apps/server/src/storage/column-cipher';
import {
  dropSchema,
  openPostgres,
  openPostgresUnmigrated,
} from '../../apps/server/src/storage/postgres/database';
import { openSqlite } from '../../apps/server/src/storage/sqlite/database';
import { checkSecretKey, sealClearSecrets } from '../../apps/server/src/storage/secret-columns';
import { sqlStores } from '../../apps/server/src/storage/sql-stores';

export interface TestServer extends RunningServer {
  dataDir: string;
  /** The server's own stores, for arranging accounts and reading what was written. */
  stores: ReturnType<typeof sqlStores>;
  /** The server's own database, for reading rows no API shows (outbox, raw counts). */
  db: Parameters<typeof sqlStores>[0];
  /** Everything the server logged, when started with `captureLogs` (at trace level). */
  logText(): string;
  stop(): Promise<void>;
}

/**
 * A real server on a random loopback port with its own SQLite file in a temp folder, or with
 * `postgresUrl` on its own PostgreSQL schema (dropped on stop).
 */
export async function startTestServer(
  overrides: ConfigInput = {},
  opts: { postgresUrl?: string; clock?: Clock; captureLogs?: boolean } = {},
): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'conclave-test-'));
  const config = loadConfig({}, {
    host: '127.0.0.1',
    port: 0,
    dataDir,
    logLevel: process.env.CONCLAVE_TEST_LOG ?? 'silent',
    webRoot: new URL('../../apps/web/dist', import.meta.url).pathname,
    media: { workers: 1, keyframeRequestMinIntervalMs: 500 },
    ...overrides,
  } as ConfigInput);
  // Server-blind tests search the logs too: every line at trace level, kept in memory.
  const logLines: string[] = [];
  const logger = opts.captureLogs
    ? createLogger('trace', { write: (line: string) => void logLines.push(line) })
    : createLogger(config.logLevel);
  const schema = `conclave_test_${randomBytes(6).toString('hex')}`;
  const db = opts.postgresUrl
    ? await openPostgres(opts.postgresUrl, { schema, maxConnections: 4 })
    : await openSqlite(join(dataDir, 'conclave.sqlite'));
  // The real key path: generated into the temp data dir (or `secretKey` from overrides).
  const secretKey = loadSecretKey(config).key;
  const cipher = new ColumnCipher(secretKey);
  await checkSecretKey(db, cipher);
  await sealClearSecrets(db, cipher);
  const stores = sqlStores(db, cipher);
  const server = await startServer({
    config,
    logger,
    db,
    stores,
    secretKey,
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  return {
    ...server,
    dataDir,
    stores,
    db,
    logText: () => logLines.join(''),
    async stop() {
      await server.close();
      if (opts.postgresUrl) {
        const admin = openPostgresUnmigrated(opts.postgresUrl);
        await dropSchema(admin, schema);
        await admin.destroy();
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
