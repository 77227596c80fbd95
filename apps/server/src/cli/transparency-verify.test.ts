import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit } from '../modules/legal/actor';
import { COUNTED_KEY, countedFacts } from '../modules/legal/counted-facts';
import type { LegalRequestRecord } from '../modules/legal/legal-store';
import { NoticeService } from '../modules/legal/notice-service';
import { ReviewService } from '../modules/legal/review-service';
import { TransparencyService } from '../modules/transparency/transparency-service';
import { requestRecord, requesterRecord } from '../storage/legal-store-contract';
import type { Database } from '../storage/schema';
import { sqlStores } from '../storage/sql-stores';
import {
  TEST_POSTGRES_URL,
  postgresTestDatabase,
  sqliteTestDatabase,
  warnIfPostgresSkipped,
} from './cli-test-database';
import type { CliTestDatabase } from './cli-test-database';

const T = new Date('2026-02-01T00:00:00.000Z');

/** Two requests in 2026-H1 and one in H2, then version 1 of 2026-H1 published. */
async function seedAndPublish(t: CliTestDatabase): Promise<string> {
  const k = await t.open();
  try {
    const stores = sqlStores(k, t.cipher);
    const legal = stores.legal;
    await legal.requesters.insertAgency({
      id: 'agency-1',
      name: 'Police',
      country: 'US',
      subdivision: null,
      level: 'federal',
      emailDomains: ['police.example.gov'],
      createdAt: T,
    });
    await legal.requesters.insertRequester(
      requesterRecord('agency-1', 'j@police.example.gov', { id: 'requester-1' }),
    );
    // Stored the way intake stores them: each request with its audit entry.
    const req = (over: Partial<LegalRequestRecord>) =>
      legal.transaction(async (tx) => {
        const r = requestRecord('requester-1', 'agency-1', over);
        await tx.requests.insertRequest(r);
        await audit(
          tx,
          T,
          { kind: 'requester', id: 'requester-1' },
          'request.submitted',
          'request',
          r.id,
          r.id,
          { [COUNTED_KEY]: countedFacts(r) },
        );
      });
    await req({
      id: 'rejected-one',
      type: 'subpoena',
      receivedAt: new Date('2026-03-01T00:00:00.000Z'),
      isNationalSecurity: false,
      isEmergency: false,
      accountsSpecified: 1,
      hasNdo: false,
      status: 'closed',
      outcome: 'rejected',
    });
    await req({
      type: 'search_warrant',
      receivedAt: new Date('2026-06-30T23:59:59.999Z'),
      isNationalSecurity: false,
      isEmergency: false,
      accountsSpecified: 2,
      status: 'released',
      outcome: 'content_disclosed',
    });
    // Open at publication: pending in version 1, decided afterwards in the legal console.
    await req({
      id: 'pending-one',
      type: 'court_order',
      receivedAt: new Date('2026-04-01T00:00:00.000Z'),
      status: 'in_review',
      outcome: null,
    });
    await req({ receivedAt: new Date('2026-07-01T00:00:00.000Z') });
    const service = new TransparencyService({
      store: stores.transparency,
      clock: () => new Date('2026-07-15T00:00:00.000Z'),
    });
    await service.publish({ kind: 'user', id: 'legal-admin' }, '2026-H1', 500);
    return 'rejected-one';
  } finally {
    await k.destroy();
  }
}

/** Records a decision the way the legal console does (ReviewService, audited). */
async function decideInConsole(t: CliTestDatabase, id: string, kind: 'no_responsive_data') {
  const k = await t.open();
  try {
    const stores = sqlStores(k, t.cipher);
    const clock = () => new Date('2026-07-20T00:00:00.000Z');
    const review = new ReviewService({
      store: stores.legal,
      directory: stores.subjects,
      notices: new NoticeService({
        store: stores.legal,
        directory: stores.subjects,
        clock,
      }),
      clock,
      rules: { reviewSlaHours: 72, emergencySlaHours: 4, ndoReminderDays: 14 },
      limits: { maxTargets: 50, maxRangeDays: 366 },
    });
    await review.decide({ kind: 'user', id: 'reviewer-1' }, id, {
      kind,
      rationale: 'Searched every store; nothing matches the identifiers.',
    });
  } finally {
    await k.destroy();
  }
}

/** Runs `statement` on the test's database, as someone with direct database access would. */
async function tamper(
  t: CliTestDatabase,
  statement: (k: Kysely<Database>) => Promise<unknown>,
): Promise<void> {
  const k = await t.open();
  try {
    await statement(k);
  } finally {
    await k.destroy();
  }
}

function verifyStories(create: () => Promise<CliTestDatabase>) {
  let t: CliTestDatabase;
  let tampered: string;
  beforeAll(async () => {
    t = await create();
    tampered = await seedAndPublish(t);
  }, 30_000);
  afterAll(() => t?.drop());

  it('an untouched snapshot recomputes with no differences and an intact chain', async () => {
    const { code, out } = await t.conclave(['transparency', 'verify', '2026-H1']);
    expect(out).toContain('2026-H1 version 1');
    expect(out).toContain('Audit chain OK up to #4 (4 entries)');
    expect(out).toContain(
      'Report from the audit log up to #4: no differences (3 requests recounted)',
    );
    expect(out).toContain('Stored requests agree with the audit log (3 requests of 2026-H1)');
    expect(code).toBe(0);
  });

  it('a request decided after publication through the console is named as a reason for an erratum, not a fault', async () => {
    await decideInConsole(t, 'pending-one', 'no_responsive_data');
    const { code, out } = await t.conclave(['transparency', 'verify', '2026-H1']);
    expect(out).toContain(
      'Report from the audit log up to #4: no differences (3 requests recounted)',
    );
    expect(out).toContain('Stored requests agree with the audit log (3 requests of 2026-H1)');
    expect(out).toMatch(
      /Since publication, 1 request\(s\) of 2026-H1 changed through audited actions \(pending-one\)/,
    );
    expect(code).toBe(0);
  });

  it('a request changed after publication is reported field by field, exit code 1', async () => {
    await tamper(t, (k) =>
      k
        .updateTable('legal_requests')
        .set({ outcome: 'non_content_disclosed', status: 'decided' })
        .where('id', '=', tampered)
        .execute(),
    );
    const { code, out } = await t.conclave(['transparency', 'verify', '2026-H1', '--version', '1']);
    expect(code).toBe(1);
    expect(out).toContain('Report from the audit log up to #4: no differences');
    expect(out).toContain('Stored requests DIFFER from the audit log: 2 difference(s)');
    expect(out).toContain('rejected-one  outcome  "rejected"  "non_content_disclosed"');
    expect(out).toContain('rejected-one  status  "closed"  "decided"');
    expect(out).toContain('Effect on the report: 4 difference(s)');
    expect(out).toMatch(/userData\[US\/subpoena\]\.outcomes\.rejected {2}1 {2}0/);
    expect(out).toMatch(/userData\[US\/subpoena\]\.outcomes\.non_content_only {2}0 {2}1/);
    expect(out).toMatch(/userData\[US\/subpoena\]\.someDataProduced {2}0 {2}1/);
    expect(out).toMatch(/userData\[US\/subpoena\]\.accountsDataProduced {2}0 {2}1/);
  });

  it('an edited audit entry before the recorded head breaks verification', async () => {
    await tamper(t, (k) =>
      k.updateTable('legal_audit').set({ detail: '{"received":0}' }).where('seq', '=', 1).execute(),
    );
    const { code, out } = await t.conclave(['transparency', 'verify', '2026-H1']);
    expect(code).toBe(1);
    expect(out).toContain('Audit chain BROKEN at entry 1: hash mismatch');
  });

  it('an unpublished period or a missing version is a usage error', async () => {
    expect(await t.conclave(['transparency', 'verify', '2025-H2'])).toMatchObject({
      code: 2,
      out: expect.stringContaining('2025-H2 has not been published'),
    });
    expect((await t.conclave(['transparency', 'verify', '2026-H1', '--version', '2'])).code).toBe(
      2,
    );
    expect((await t.conclave(['transparency', 'verify', 'soon'])).code).toBe(2);
  });
}

warnIfPostgresSkipped('conclave transparency verify');

// Each run starts Node with tsx (~2 s on this machine), hence the generous timeout.
describe('conclave transparency verify: SQLite', { timeout: 90_000 }, () => {
  verifyStories(async () => sqliteTestDatabase('conclave-tverify-'));
});

(TEST_POSTGRES_URL ? describe : describe.skip)(
  'conclave transparency verify: PostgreSQL',
  { timeout: 90_000 },
  () => {
    verifyStories(() => postgresTestDatabase(TEST_POSTGRES_URL!, 'conclave-tverify-'));
  },
);
