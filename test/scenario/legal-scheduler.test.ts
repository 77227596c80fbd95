import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyChain } from '../../apps/server/src/modules/legal/audit-chain';
import {
  dropSchema,
  openPostgres,
  openPostgresUnmigrated,
} from '../../apps/server/src/storage/postgres/database';
import { openSqlite } from '../../apps/server/src/storage/sqlite/database';
import { sqlStores } from '../../apps/server/src/storage/sql-stores';
import { testCipher } from '../../apps/server/src/storage/test-cipher';
import { execFile } from 'node:child_process';
import { arrangeNdoSuppressedNotices } from '../support/disclosure-requests';
import { schedulerOn } from '../support/legal-scheduler-factory';
import type { Db } from '../support/legal-scheduler-factory';
import type { TickReport } from '../../apps/server/src/modules/legal/notice-scheduler';

const child = new URL('../support/legal-scheduler-child.ts', import.meta.url).pathname;

/** One scheduler pass in its own Node process (as a second server would run it). */
function tickInProcess(file: string, at: Date): Promise<TickReport> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', child, file, at.toISOString()],
      { timeout: 60_000 },
      (err, stdout, stderr) =>
        err ? reject(new Error(stderr || err.message)) : resolve(JSON.parse(stdout) as TickReport),
    );
  });
}

/** 12 users, one disclosure request naming them all, one NDO-suppressed notice each. */
const arrange = (db: Db, ndoEnd: Date) =>
  arrangeNdoSuppressedNotices(sqlStores(db, testCipher()), 12, ndoEnd);

type Tick = (at: Date) => Promise<TickReport>;

async function twoSchedulersSendEachNoticeOnce(a: Db, one: Tick, two: Tick) {
  const end = new Date('2026-06-01T00:00:00Z');
  const { requestId, userIds } = await arrange(a, end);
  let now = new Date('2026-05-31T00:00:00Z');
  // Before the end date: reminder once across both, no notice.
  const early = await Promise.all([one(now), two(now)]);
  expect(early.reduce((n, r) => n + r.sent, 0)).toBe(0);
  expect(early.reduce((n, r) => n + r.reminders, 0)).toBe(1);
  now = new Date('2026-06-01T00:00:00Z');
  // Each instance runs one pass at a time; the two race each other on every notice.
  const results = [
    ...(await Promise.all([one(now), two(now)])),
    ...(await Promise.all([one(now), two(now)])),
  ];
  expect(results.reduce((n, r) => n + r.sent, 0)).toBe(userIds.length);
  const inApp = await a
    .selectFrom('user_notices')
    .select(['user_id'])
    .where('user_id', 'in', userIds)
    .execute();
  expect(inApp.map((n) => n.user_id).sort()).toEqual([...userIds].sort());
  const sent = await sqlStores(a, testCipher()).legal.notices.listNotices(requestId);
  expect(sent.every((n) => n.state === 'sent')).toBe(true);
  const legal = sqlStores(a, testCipher()).legal;
  expect(await verifyChain(legal.audit.entries(), await legal.audit.head())).toMatchObject({
    ok: true,
  });
}

describe('notice scheduler in two processes at once', () => {
  it(
    'SQLite: two scheduler processes on one file send each notice exactly once and remind once',
    { timeout: 120_000 },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'conclave-sched-'));
      const file = join(dir, 'c.sqlite');
      // Two real processes: better-sqlite3 is synchronous, so two connections in one thread would
      // block each other inside SQLite's busy handler.
      const a = await openSqlite(file);
      try {
        const tick: Tick = (at) => tickInProcess(file, at);
        await twoSchedulersSendEachNoticeOnce(a, tick, tick);
      } finally {
        await a.destroy();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  const pgUrl = process.env.CONCLAVE_TEST_POSTGRES_URL;
  (pgUrl ? it : it.skip)(
    'PostgreSQL: two schedulers on one schema send each notice exactly once',
    async () => {
      const schema = `conclave_test_${randomBytes(6).toString('hex')}`;
      const a = await openPostgres(pgUrl!, { schema, maxConnections: 4 });
      const b = await openPostgres(pgUrl!, { schema, maxConnections: 4 });
      try {
        // Two pools (as two server processes would have), one scheduler instance on each.
        let at = new Date();
        const one = schedulerOn(a, () => at);
        const two = schedulerOn(b, () => at);
        const tick = (s: typeof one) => (t: Date) => {
          at = t;
          return s.tick();
        };
        await twoSchedulersSendEachNoticeOnce(a, tick(one), tick(two));
      } finally {
        await a.destroy();
        await b.destroy();
        const admin = openPostgresUnmigrated(pgUrl!);
        await dropSchema(admin, schema);
        await admin.destroy();
      }
    },
  );
});
