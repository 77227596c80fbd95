import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { createAccountWithOwner } from '../../apps/server/src/modules/accounts/account-setup';
import { verifyChain } from '../../apps/server/src/modules/legal/audit-chain';
import { FIXTURE } from '../../apps/server/src/modules/transparency/fixture';
import { ApiClient } from '../support/api-client';
import { createUser } from '../support/legal-fixtures';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';
import { seedRequests } from '../support/transparency-fixtures';

// Issue 8 over HTTP: preview, publish a frozen snapshot, errata as new versions, public reading
// and downloads, the guide, and the audit log entries. The fixture period (2026-H1) has ended.

const PASSWORD = 'correct horse battery';

describe('transparency reports: publish, freeze, errata', () => {
  let server: TestServer;
  let admin: ApiClient;
  let ids: string[];
  const pub = () => new ApiClient(server.url);

  beforeAll(async () => {
    server = await startTestServer({
      auth: {
        sessionTtlHours: 1,
        maxFailedLogins: 50,
        lockoutMinutes: 1,
        loginAttemptsPerMinute: 5000,
      },
    });
    const op = await createAccountWithOwner(server.stores, {
      name: 'Operator',
      ownerEmail: 'owner@operator.test',
      ownerName: 'Op',
      ownerPassword: PASSWORD,
    });
    await createUser(server.stores, op.accountId, 'legal_admin', 'counsel@operator.test', PASSWORD);
    admin = new ApiClient(server.url);
    expect((await admin.signIn('counsel@operator.test', PASSWORD)).status).toBe(200);
    ids = await seedRequests(server.stores.legal, FIXTURE);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('previews without publishing; the public sees nothing until publication', async () => {
    const res = await admin.get('/api/legal/transparency/preview/2026-H1?bandWidth=250');
    expect(res.status).toBe(200);
    expect(res.body.totals.received).toBe(11);
    expect(res.body.data.nationalSecurity.requests).toEqual({ low: 0, high: 249 });
    expect((await pub().get('/api/transparency/reports/2026-H1')).body.code).toBe(
      'TRANSPARENCY_NOT_PUBLISHED',
    );
  });

  it('publishes version 1 once, recording the audit head, and appends to the audit log', async () => {
    const head = await server.stores.legal.audit.head();
    const res = await admin.post('/api/legal/transparency/reports', { period: '2026-H1' });
    expect(res.status).toBe(201);
    expect(res.body.snapshot).toMatchObject({ period: '2026-H1', version: 1, auditSeq: head.seq });
    expect(res.body.snapshot.auditHead).toBe(head.hash);
    const again = await admin.post('/api/legal/transparency/reports', { period: '2026-H1' });
    expect([again.status, again.body.code]).toEqual([409, 'TRANSPARENCY_ALREADY_PUBLISHED']);
    const entries = [];
    for await (const e of server.stores.legal.audit.entries()) entries.push(e);
    const last = entries.at(-1)!;
    expect([last.action, last.entityId]).toEqual(['report.published', '2026-H1/v1']);
    expect(JSON.parse(last.detail)).toMatchObject({ auditHead: head.hash, received: 11 });
    expect((await verifyChain(entries)).ok).toBe(true);
  });

  it('never changes a published version when requests change later', async () => {
    await server.stores.legal.requests.updateRequest(ids[5]!, {
      status: 'closed',
      outcome: 'rejected',
    });
    await seedRequests(server.stores.legal, [{ ...FIXTURE[2]! }]);
    const shown = (await pub().get('/api/transparency/reports/2026-H1')).body;
    expect(shown.snapshot.version).toBe(1);
    expect(shown.totals.received).toBe(11);
    expect(shown.totals.outcomes.pending).toBe(3);
    const preview = (await admin.get('/api/legal/transparency/preview/2026-H1')).body;
    expect(preview.totals.received).toBe(12);
    expect(preview.totals.outcomes.pending).toBe(2);
  });

  it('publishes errata as a new version with a note; older versions stay readable', async () => {
    const stale = await admin.post('/api/legal/transparency/reports/2026-H1/errata', {
      expectedVersion: 2,
      note: 'Corrects one outcome recorded late.',
    });
    expect([stale.status, stale.body.code]).toEqual([409, 'TRANSPARENCY_VERSION_STALE']);
    const res = await admin.post('/api/legal/transparency/reports/2026-H1/errata', {
      expectedVersion: 1,
      note: 'Corrects one outcome recorded late.',
    });
    expect(res.status).toBe(201);
    expect(res.body.snapshot).toMatchObject({
      version: 2,
      note: 'Corrects one outcome recorded late.',
    });
    const latest = (await pub().get('/api/transparency/reports/2026-H1')).body;
    expect([latest.snapshot.version, latest.totals.received]).toEqual([2, 12]);
    expect(latest.versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    const v1 = (await pub().get('/api/transparency/reports/2026-H1?version=1')).body;
    expect(v1.totals.received).toBe(11);
    const trends = (await pub().get('/api/transparency/reports')).body.trends;
    expect(trends).toEqual([
      expect.objectContaining({ period: '2026-H1', version: 2, received: 12 }),
    ]);
  });

  it('downloads CSV and JSON of exactly the filtered view', async () => {
    const q = '?version=1&jurisdiction=US&type=subpoena';
    const view = (await pub().get(`/api/transparency/reports/2026-H1${q}`)).body;
    const json = await fetch(`${server.url}/api/transparency/reports/2026-H1/json${q}`);
    expect(json.headers.get('content-disposition')).toMatch(/attachment/);
    expect(await json.json()).toEqual(view);
    const csv = await fetch(`${server.url}/api/transparency/reports/2026-H1/csv${q}`);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const rows = parse<Record<string, string>>(await csv.text(), { columns: true });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      country_code: 'US',
      legal_process: 'subpoena',
      requests_received: String(view.totals.received),
      requests_with_delayed_notice_order: String(view.totals.withDelayedNotice),
    });
    const ns = await (
      await fetch(`${server.url}/api/transparency/reports/2026-H1/csv?table=national_security`)
    ).text();
    expect(ns).toContain('2026-H1,combined,0,499,0,499,500');
  });

  it('refuses bad input with clear errors', async () => {
    const bad = async (p: Promise<{ status: number; body: { message: string } }>, re: RegExp) => {
      const r = await p;
      expect(r.status).toBe(400);
      expect(r.body.message).toMatch(re);
    };
    await bad(pub().get('/api/transparency/reports/2026-H3'), /period like 2026-H1/);
    await bad(pub().get('/api/transparency/reports/2026-H1?version=0'), /version/);
    await bad(pub().get('/api/transparency/reports/2026-H1?jurisdiction=usa'), /country code/);
    await bad(
      admin.post('/api/legal/transparency/reports', { period: '2026-H1', bandWidth: 300 }),
      /bandWidth/,
    );
    await bad(
      admin.post('/api/legal/transparency/reports/2026-H1/errata', {
        expectedVersion: 2,
        note: 'x',
      }),
      /at least 10/,
    );
    await bad(admin.put('/api/transparency/guide', { markdown: 'x'.repeat(70_000) }), /at most/);
    const open = await admin.post('/api/legal/transparency/reports', { period: '2026-H2' });
    expect([open.status, open.body.code]).toEqual([409, 'TRANSPARENCY_PERIOD_OPEN']);
  });

  it("counts a reviewer's 'general information only' answer as closed without data produced", async () => {
    const before = (await admin.get('/api/legal/transparency/preview/2026-H1')).body.totals;
    const [id] = await seedRequests(server.stores.legal, [
      { ...FIXTURE[2]!, status: 'in_review', outcome: null, hasNdo: false },
    ]);
    const res = await admin.post(`/api/legal/requests/${id}/decisions`, {
      kind: 'general_information',
      rationale: 'Explained how to serve valid process; no data was requested in a valid form.',
    });
    expect(res.status).toBe(201);
    const stored = await server.stores.legal.requests.findRequest(id!);
    expect([stored?.status, stored?.outcome]).toEqual(['closed', 'general_information']);
    // The decision's audit entry carries what reports count, for `transparency verify`.
    const entries = [];
    for await (const e of server.stores.legal.audit.entries()) entries.push(e);
    const decided = entries.filter((e) => e.action === 'decision.recorded').at(-1)!;
    expect(JSON.parse(decided.detail).counted).toMatchObject({
      id,
      status: 'closed',
      outcome: 'general_information',
    });
    const after = (await admin.get('/api/legal/transparency/preview/2026-H1')).body.totals;
    expect(after.received).toBe(before.received + 1);
    expect(after.outcomes.general_information).toBe(before.outcomes.general_information + 1);
    expect(after.someDataProduced).toBe(before.someDataProduced);
  });

  it('serves a default guide that the legal admin can replace', async () => {
    expect((await pub().get('/api/transparency/guide')).body.markdown).toMatch(
      /Government Requests Guide/,
    );
    expect(
      (await admin.put('/api/transparency/guide', { markdown: '## Our guide\nHello' })).status,
    ).toBe(204);
    expect((await pub().get('/api/transparency/guide')).body.markdown).toBe('## Our guide\nHello');
    expect((await pub().get('/api/transparency/methodology')).body.markdown).toMatch(/floor/);
  });
});
