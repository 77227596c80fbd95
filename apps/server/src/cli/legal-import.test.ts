import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../modules/legal/audit-chain';
import { openSqlite } from '../storage/sqlite/database';
import { sqlStores } from '../storage/sql-stores';

const main = new URL('./main.ts', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'conclave-limport-'));
const db = join(dir, 'import.sqlite');

function conclave(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, CONCLAVE_DATA_DIR: dir };
    delete env.DATABASE_URL;
    execFile(
      process.execPath,
      ['--import', 'tsx', main, ...args, '--db', db],
      { env, timeout: 30_000 },
      (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr });
      },
    );
  });
}

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function counts() {
  const raw = new SQLite(db, { readonly: true });
  try {
    const n = (sql: string) => (raw.prepare(sql).get() as { n: number }).n;
    return {
      requests: n('SELECT count(*) AS n FROM legal_requests'),
      audit: n('SELECT count(*) AS n FROM legal_audit'),
    };
  } finally {
    raw.close();
  }
}

const CSV = `type,country,origin_country,received_at,closed_at,outcome,accounts_specified,ndo,emergency,preservation,national_security
subpoena,US,,2024-02-03T10:00:00Z,2024-03-01,non_content_disclosed,2,true,false,false,false
mlat,US,DE,2024-05-01,,content_disclosed,1,no,,,
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

describe('conclave legal import', { timeout: 90_000 }, () => {
  beforeAll(async () => {
    await (await openSqlite(db)).destroy();
  }, 30_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('imports a CSV file as closed historical requests with one audit entry', async () => {
    const { code, out } = await conclave(['legal', 'import', file('past.csv', CSV)]);
    expect(out).toContain('Imported 3 historical request(s) from past.csv');
    expect(code).toBe(0);
    expect(counts()).toEqual({ requests: 3, audit: 1 });
    const raw = new SQLite(db, { readonly: true });
    const mlat = raw
      .prepare("SELECT * FROM legal_requests WHERE request_type = 'mlat'")
      .get() as Record<string, unknown>;
    raw.close();
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
    const { code, out } = await conclave(['legal', 'import', file('past.jsonl', JSONL)]);
    expect(out).toContain('Imported 2 historical request(s)');
    expect(code).toBe(0);
    expect(counts()).toEqual({ requests: 5, audit: 2 });
    const k = await openSqlite(db);
    try {
      const a = sqlStores(k).legal.audit;
      expect(await verifyChain(a.entries(), await a.head())).toMatchObject({ ok: true });
      const seen = await sqlStores(k).transparency.requestsReceivedBetween(
        new Date('2023-07-01T00:00:00Z'),
        new Date('2024-01-01T00:00:00Z'),
      );
      expect(seen.map((r) => r.outcome).sort()).toEqual(['content_disclosed', 'preserved']);
    } finally {
      await k.destroy();
    }
  });

  it('a file with a malformed row is refused with its line number and imports nothing', async () => {
    const before = counts();
    const bad = CSV.replace('mlat,US,DE,2024-05-01', 'mlat,US,DE,2024-13-01').concat(
      'subpoena,usa,,2024-01-01,,granted,1,,,,\n',
    );
    const { code, out } = await conclave(['legal', 'import', file('bad.csv', bad)]);
    expect(code).toBe(1);
    expect(out).toMatch(/line 3: received_at/);
    expect(out).toMatch(/line 5: country: .*; outcome/);
    expect(out).toContain('nothing was imported');
    expect(counts()).toEqual(before);

    const badJson = `${JSONL}\n{"type":"subpoena"\n`;
    const j = await conclave(['legal', 'import', file('bad.jsonl', badJson)]);
    expect(j.code).toBe(1);
    expect(j.out).toContain('line 3: not valid JSON');
    expect(counts()).toEqual(before);
  });
});
