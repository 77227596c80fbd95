import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postgresTestDatabase } from '../../apps/server/src/cli/cli-test-database';
import { SqlClusterStore } from '../../apps/server/src/storage/sql-cluster-store';
import { sqlStores } from '../../apps/server/src/storage/sql-stores';

// Issue 19: real Conclave node processes (`node apps/server/src/main.ts`) on loopback ports,
// sharing one PostgreSQL database (created for the run, dropped after) and one Redis (keys and
// channel under a prefix of the run's own), with one secret key, as an operator would run them.

export const TEST_POSTGRES_URL = process.env.CONCLAVE_TEST_POSTGRES_URL;
export const TEST_REDIS_URL = process.env.CONCLAVE_TEST_REDIS_URL;

export function clusterSkipReason(): string | undefined {
  if (!TEST_POSTGRES_URL || !TEST_REDIS_URL)
    return 'cluster: SKIPPED (set CONCLAVE_TEST_POSTGRES_URL and CONCLAVE_TEST_REDIS_URL, e.g. postgres://postgres@127.0.0.1:5432/test and redis://127.0.0.1:6379)';
  return undefined;
}

const MAIN = new URL('../../apps/server/src/main.ts', import.meta.url).pathname;
const WEB_ROOT = new URL('../../apps/web/dist', import.meta.url).pathname;

export interface NodeProcess {
  name: string;
  url: string;
  child: ChildProcess;
  /** Everything the node printed (JSON log lines). */
  output: string[];
  kill9(): void;
  stop(): Promise<void>;
}

export interface TestCluster {
  databaseUrl: string;
  redisPrefix: string;
  secretKey: string;
  /** The shared database opened in the test process (arrange accounts, read leases). */
  db: Parameters<typeof sqlStores>[0];
  stores: ReturnType<typeof sqlStores>;
  nodes: NodeProcess[];
  startNode(name: string, config?: Record<string, unknown>): Promise<NodeProcess>;
  /** The node holding the meeting's lease now (undefined: none). */
  ownerOf(meetingId: string): Promise<string | undefined>;
  stop(): Promise<void>;
}

export async function startTestCluster(
  timings = { heartbeatMs: 400, leaseMs: 2500 },
): Promise<TestCluster> {
  const database = await postgresTestDatabase(TEST_POSTGRES_URL!, 'conclave-cluster-');
  // Migrated here once, before any node starts.
  const db = await database.open();
  const secretKey = readFileSync(join(database.dir, 'secret.key'), 'utf8').trim();
  const stores = sqlStores(db, database.cipher);
  const leases = new SqlClusterStore(db);
  const dbUrl = new URL(database.databaseUrl!);
  const redisPrefix = `cluster-test-${randomBytes(5).toString('hex')}:`;
  const dirs: string[] = [];
  const nodes: NodeProcess[] = [];

  const startNode = (nodeName: string, config: Record<string, unknown> = {}) =>
    new Promise<NodeProcess>((resolve, reject) => {
      const dir = mkdtempSync(join(tmpdir(), `conclave-${nodeName}-`));
      dirs.push(dir);
      const configFile = join(dir, 'conclave.config.json');
      writeFileSync(configFile, JSON.stringify(config));
      const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
        env: {
          ...process.env,
          HOST: '127.0.0.1',
          PORT: '0',
          DATABASE_URL: dbUrl.href,
          REDIS_URL: TEST_REDIS_URL,
          CONCLAVE_REDIS_PREFIX: redisPrefix,
          CONCLAVE_NODE_ID: nodeName,
          CONCLAVE_DATA_DIR: dir,
          CONCLAVE_CONFIG: configFile,
          CONCLAVE_SECRET_KEY: secretKey,
          CONCLAVE_MEDIA_WORKERS: '1',
          CONCLAVE_CAPTIONS_ENGINE: 'off',
          CONCLAVE_CLUSTER_HEARTBEAT_MS: String(timings.heartbeatMs),
          CONCLAVE_CLUSTER_LEASE_MS: String(timings.leaseMs),
          CONCLAVE_LOG_LEVEL: 'info',
          CONCLAVE_WEB_ROOT: WEB_ROOT,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const output: string[] = [];
      let buffered = '';
      // A node starts in 2-5 s; on two cores shared with browsers under load it once took over
      // 30 s (helper report, session 7). Start-up speed is not what these tests measure.
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`node ${nodeName} did not start:\n${output.join('\n')}`));
      }, 60_000);
      const onData = (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        for (const line of lines) {
          output.push(line);
          const m = /"url":"(http:\/\/[^"]+)"/.exec(line);
          if (m && line.includes('Conclave is running')) {
            clearTimeout(timer);
            const node: NodeProcess = {
              name: nodeName,
              url: m[1]!,
              child,
              output,
              kill9: () => child.kill('SIGKILL'),
              stop: () =>
                new Promise<void>((done) => {
                  if (child.exitCode !== null || child.signalCode !== null) return done();
                  child.once('exit', () => done());
                  child.kill('SIGTERM');
                  setTimeout(() => child.kill('SIGKILL'), 8000).unref();
                }),
            };
            nodes.push(node);
            resolve(node);
          }
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', (c: Buffer) => output.push(c.toString()));
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`node ${nodeName} exited (${code}):\n${output.join('\n')}`));
      });
    });

  return {
    databaseUrl: dbUrl.href,
    redisPrefix,
    secretKey,
    db,
    stores,
    nodes,
    startNode,
    async ownerOf(meetingId) {
      return (await leases.leaseOf(meetingId, Date.now()))?.nodeId;
    },
    async stop() {
      await Promise.all(nodes.map((n) => n.stop()));
      await db.destroy();
      await database.drop();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    },
  };
}

/** Resolves when `check` passes (polling), or fails after `timeoutMs` with `what`. */
export async function eventually<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
