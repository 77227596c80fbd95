import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../apps/server/src/config/config';
import type { ConfigInput } from '../../apps/server/src/config/config';
import { createLogger } from '../../apps/server/src/logger';
import { startServer } from '../../apps/server/src/server';
import type { RunningServer } from '../../apps/server/src/server';
import { openSqlite } from '../../apps/server/src/storage/sqlite/database';
import { SqlMeetingStore } from '../../apps/server/src/storage/sql-meeting-store';

export interface TestServer extends RunningServer {
  dataDir: string;
  stop(): Promise<void>;
}

/** A real server on a random loopback port with its own SQLite file in a temp folder. */
export async function startTestServer(overrides: ConfigInput = {}): Promise<TestServer> {
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
  const logger = createLogger(config.logLevel);
  const db = await openSqlite(join(dataDir, 'conclave.sqlite'));
  const server = await startServer({ config, logger, db, meetingStore: new SqlMeetingStore(db) });
  return {
    ...server,
    dataDir,
    async stop() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
