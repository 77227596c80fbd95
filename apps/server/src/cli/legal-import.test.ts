import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../modules/legal/audit-chain';
import { compareStoredWithLog, replayCountedFacts } from '../modules/transparency/log-replay';
import { sqlStores } from '../storage/sql-stores';
import {
  TEST_POSTGRES_URL,
  postgresTestDatabase,
  sqliteTestDatabase,
  warnIfPostgresSkipped,
} from './cli-test-database';
import type { CliTestDatabase } from './cli-test-database';

const CSV = `type,country,origin_country,received_at,closed_at,outcome,accounts_specified,ndo,emergency,preservation,national_security
subpoena,US,,2024-02-03T10:00:00Z,2024-03-01,non_content_disclosed,2,true,false,false,false
mlat,US,DE,2024-05-01,,content_disclosed,1,false,,,
emergency,GB,,2024-08-09T00:00:00Z,,rejected,1,false,true,false,false
`;

const JSONL = [
  {
    type: 'search_warrant',
    country: 'FR',
    received_at: '2023-11-02',
    outcome: 'content_disclosed',
    accounts_specified: 3,
    ndo: true,
  },
  {
    type: 'preservation',
    country: 'US',
    received_at: '2023-12-24T08:00:00Z',
    outcome: 'preserved',
    accounts_specified: 2,
  },
]
  .map((o) => JSON.stringify(o))
  .join('\n');

function importStories(create: () => Promise<CliTestDatabase>) {
  let t: CliTestDatabase;
  beforeAll(async () => {
    t = await create();
    await (await t.open()).destroy();
  }, 30_000);
  afterAll(() => t?.drop());

  const file = (name: string, text: string): string => {
    const path = join(t.dir, name);
    writeFileSync(path, text);
    return path;
  };
  const counts = async () => {
    const k = await t.open();
    try {
      const n = async (table: 'legal_requests' | 'legal_audit') =>
        Number(
          (
            await k
              .selectFrom(table)
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      return { requests: await n('legal_requests'), audit: await n('legal_audit') };
    } finally {
      await k.destroy();
    }
  };

  it('imports a CSV file as closed historical requests with one audit entry', async () => {
    const { code, out } = await t.conclave(['legal', 'import', file('past.csv', CSV)]);
    expect(out).toContain('Imported 3 historical request(s) from past.csv');
    expect(code).toBe(0);
    expect(await counts()).toEqual({ requests: 3, audit: 1 });
    const k = await t.open();
    const mlat = await k
      .selectFrom('legal_requests')
      .selectAll()
      .where('request_type', '=', 'mlat')
      .executeTakeFirstOrThrow();
    await k.destroy();
    expect(mlat).toMatchObject({
      country_iso2: 'US',
      origin_country_iso2: 'DE',
      received_at: '2024-05-01T00:00:00.000Z',
      status: 'closed',
      outcome: 'content_disclosed',
      accounts_specified: 1,
      has_ndo: 0,
    });
  });

  it('imports a JSON Lines file, and the audit chain stays intact', async () => {
    const { code, out } = await t.conclave(['legal', 'import', file('past.jsonl', JSONL)]);
    expect(out).toContain('Imported 2 historical request(s)');
    expect(code).toBe(0);
    expect(await counts()).toEqual({ requests: 5, audit: 2 });
    const k = await t.open();
    try {
      const a = sqlStores(k, t.cipher).legal.audit;
      expect(await verifyChain(a.entries(), await a.head())).toMatchObject({ ok: true });
      const seen = await sqlStores(k, t.cipher).transparency.requestsReceivedBetween(
        new Date('2023-07-01T00:00:00Z'),
        new Date('2024-01-01T00:00:00Z'),
      );
      expect(seen.map((r) => r.outcome).sort()).toEqual(['content_disclosed', 'preserved']);
      // The log carries what reports count of every imported request (transparency verify).
      const stored = await sqlStores(k, t.cipher).transparency.countedFactsBetween(
        new Date('2000-01-01T00:00:00Z'),
        new Date('2100-01-01T00:00:00Z'),
      );
      const replay = await replayCountedFacts(a.entries(), Infinity);
      expect(stored).toHaveLength(5);
      expect(compareStoredWithLog(stored, [...replay.latest.values()])).toEqual([]);
    } finally {
      await k.destroy();
    }
  });

  it('a file with a malformed row is refused with its line number and imports nothing', async () => {
    const before = await counts();
    const bad = CSV.replace('mlat,US,DE,2024-05-01', 'mlat,US,DE,2024-13-01').concat(
      'subpoena,usa,,2024-01-01,,granted,1,,,,\n',
    );
    const { code, out } = await t.conclave(['legal', 'import', file('bad.csv', bad)]);
    expect(code).toBe(1);
    expect(out).toMatch(/line 3: received_at/);
    expect(out).toMatch(/line 5: country: .*; outcome/);
    expect(out).toContain('nothing was imported');
    expect(await counts()).toEqual(before);

    const badJson = `${JSONL}\n{"type":"subpoena"\n`;
    const j = await t.conclave(['legal', 'import', file('bad.jsonl', badJson)]);
    expect(j.code).toBe(1);
    expect(j.out).toContain('line 3: not valid JSON');
    expect(await counts()).toEqual(before);
  });
}

warnIfPostgresSkipped('conclave legal import');

describe('conclave legal import: SQLite', { timeout: 90_000 }, () => {
  importStories(async () => sqliteTestDatabase('conclave-limport-'));
});

(TEST_POSTGRES_URL ? describe : describe.skip)(
  'conclave legal import: PostgreSQL',
  { timeout: 90_000 },
  () => {
    importStories(() => postgresTestDatabase(TEST_POSTGRES_URL!, 'conclave-limport-'));
  },
);
