import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSecretKey } from '../../apps/server/src/config/secret-key';
import { verifyChain } from '../../apps/server/src/modules/legal/audit-chain';
import { ColumnCipher } from '../../apps/server/src/storage/column-cipher';
import { openSqlite } from '../../apps/server/src/storage/sqlite/database';
import { sqlStores } from '../../apps/server/src/storage/sql-stores';
import {
  createAgency,
  createVerifiedRequester,
  requesterClient,
  validSubmission,
} from '../support/legal-fixtures';

const script = new URL('../support/legal-server-child.ts', import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), 'conclave-kill-'));
const file = join(dataDir, 'conclave.sqlite');
// The key file the child server reads too (created here, reused there).
const cipher = new ColumnCipher(loadSecretKey({ dataDir }).key);

function startChild(): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, dataDir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /READY (\S+)/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.once('exit', (code) => reject(new Error(`server exited early (${code})`)));
  });
}

const TARGETS = [
  { type: 'email', value: 'a@example.org' },
  { type: 'user_id', value: 'someone' },
  { type: 'meeting_id', value: '12345678901' },
];

describe('durability: a request acknowledged is never lost', () => {
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it(
    'killing the server mid-submission leaves each request whole or absent, and every acknowledged one present',
    { timeout: 120_000 },
    async () => {
      const setup = await openSqlite(file);
      const agencyId = await createAgency(sqlStores(setup, cipher).legal, 'police.example.gov');
      const { totpSecret } = await createVerifiedRequester(
        sqlStores(setup, cipher).legal,
        agencyId,
        'jane@police.example.gov',
      );
      await setup.destroy();

      const first = await startChild();
      const client = await requesterClient(first.url, 'jane@police.example.gov', totpSecret);
      const bodies = Array.from({ length: 200 }, () => validSubmission({ targets: TARGETS }));
      const acked: string[] = [];
      const failed: typeof bodies = [];
      // Eight submissions in flight at a time.
      let next = 0;
      const worker = async () => {
        while (next < bodies.length) {
          const body = bodies[next++]!;
          try {
            const res = await client.post('/api/legal/portal/requests', body);
            if (res.status === 201) {
              acked.push(res.body.request.id as string);
              // SIGKILL lands while other submissions are in flight, some mid-transaction.
              if (acked.length === 60) first.child.kill('SIGKILL');
            } else {
              failed.push(body);
            }
          } catch {
            failed.push(body); // connection reset: the client saw an error
          }
        }
      };
      await Promise.all(Array.from({ length: 8 }, worker));
      if (first.child.exitCode === null && first.child.signalCode === null)
        await new Promise((r) => first.child.once('exit', r).kill('SIGKILL'));
      expect(acked.length).toBeGreaterThan(0);
      expect(failed.length).toBeGreaterThan(0);

      const db = await openSqlite(file);
      try {
        const legal = sqlStores(db, cipher).legal;
        for (const id of acked)
          expect((await legal.requests.findRequest(id))?.targets).toHaveLength(3);
        const rows = await db.selectFrom('legal_requests').select('id').execute();
        for (const { id } of rows) {
          expect((await legal.requests.findRequest(id))!.targets).toHaveLength(3);
          expect((await legal.audit.forRequest(id)).map((e) => e.action)).toEqual([
            'request.submitted',
          ]);
        }
        expect(await verifyChain(legal.audit.entries(), await legal.audit.head())).toMatchObject({
          ok: true,
        });
      } finally {
        await db.destroy();
      }

      // After a restart, retrying what failed creates each at most once.
      const second = await startChild();
      try {
        const again = await requesterClient(second.url, 'jane@police.example.gov', totpSecret);
        for (const body of failed.slice(0, 20)) {
          const res = await again.post('/api/legal/portal/requests', body);
          expect([200, 201]).toContain(res.status);
          expect((await again.post('/api/legal/portal/requests', body)).status).toBe(200);
        }
      } finally {
        second.child.kill('SIGKILL');
      }
    },
  );
});
