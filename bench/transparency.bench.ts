// Transparency report benchmark (issue 8). Not a timed test: prints the time to compute one
// period's report from N synthetic requests on SQLite and PostgreSQL, with the row counts, and the
// ratio against a baseline measured in the same run (a `count(*)` over the same period's rows).
// Run: node --import tsx bench/transparency.bench.ts [--rows N] [--runs R] [--no-postgres]
//   --rows N        synthetic requests (default 1,000,000; 4 in 5 fall in the measured period)
//   --runs R        timed repetitions, best kept (default 3)
//   PostgreSQL: CONCLAVE_BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test),
//   in a schema of its own that is dropped afterwards; skipped with a message when unreachable.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { computeReport } from '../apps/server/src/modules/transparency/counting';
import { parsePeriod } from '../apps/server/src/modules/transparency/period';
import { openPostgres } from '../apps/server/src/storage/postgres/database';
import type { openSqlite as OpenSqlite } from '../apps/server/src/storage/sqlite/database';
import { SqlTransparencyStore } from '../apps/server/src/storage/sql-transparency-store';
import { openSqlite } from '../apps/server/src/storage/sqlite/database';
import { dropSchema, seedSyntheticRequests } from '../apps/server/src/storage/synthetic-requests';
import { testCipher } from '../apps/server/src/storage/test-cipher';

type Db = Awaited<ReturnType<typeof OpenSqlite>>;

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '3' },
    'no-postgres': { type: 'boolean', default: false },
  },
});
const ROWS = Number(values.rows);
const RUNS = Number(values.runs);
const PERIOD = parsePeriod('2026-H1');
const PG_URL = process.env.CONCLAVE_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function time(fn: () => Promise<unknown>): Promise<number> {
  let best = Infinity;
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    await fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

async function measure(name: string, db: Db, dialect: 'sqlite' | 'postgres') {
  const t0 = performance.now();
  await seedSyntheticRequests(db, dialect, ROWS);
  const seedMs = performance.now() - t0;
  const total = await db
    .selectFrom('legal_requests')
    .select((e) => e.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  const start = PERIOD.start.toISOString();
  const end = PERIOD.end.toISOString();
  let inPeriod = 0;
  const baseline = await time(async () => {
    const r = await db
      .selectFrom('legal_requests')
      .select((e) => e.fn.countAll<string>().as('n'))
      .where('received_at', '>=', start)
      .where('received_at', '<', end)
      .executeTakeFirstOrThrow();
    inPeriod = Number(r.n);
  });
  // Synthetic requesters have no TOTP secret, so any key will do.
  const store = new SqlTransparencyStore(db, testCipher());
  let received = 0;
  const report = await time(async () => {
    const rows = await store.reportGroupsBetween(PERIOD.start, PERIOD.end);
    const data = computeReport(rows, PERIOD, 500, new Date());
    received = data.userData.reduce((s, u) => s + u.received, 0);
  });
  console.log(
    `${name.padEnd(10)} rows ${Number(total.n).toLocaleString('en')} (in ${PERIOD.id}: ${inPeriod.toLocaleString('en')}; user-data requests counted: ${received.toLocaleString('en')})\n` +
      `           seed ${(seedMs / 1000).toFixed(1)} s | baseline count(*) ${baseline.toFixed(0)} ms | report ${report.toFixed(0)} ms | ratio ${(report / baseline).toFixed(1)}x | target < 2000 ms: ${report < 2000 ? 'met' : 'NOT met'}`,
  );
}

console.log(
  `Transparency report for ${PERIOD.id} from ${ROWS.toLocaleString('en')} synthetic requests (best of ${RUNS})`,
);

const dir = mkdtempSync(join(tmpdir(), 'conclave-bench-'));
const lite = await openSqlite(join(dir, 'bench.sqlite'));
try {
  await measure('SQLite', lite, 'sqlite');
} finally {
  await lite.destroy();
  rmSync(dir, { recursive: true, force: true });
}

if (values['no-postgres']) console.log('PostgreSQL skipped (--no-postgres).');
else {
  const schema = `bench_transparency_${process.pid}`;
  let pgdb: Db | undefined;
  try {
    pgdb = await openPostgres(PG_URL, { schema, maxConnections: 2 });
  } catch (err) {
    console.log(`PostgreSQL skipped: ${PG_URL} unreachable (${(err as Error).message}).`);
  }
  if (pgdb) {
    try {
      await measure('PostgreSQL', pgdb, 'postgres');
    } finally {
      await dropSchema(pgdb, schema);
      await pgdb.destroy();
    }
  }
}
