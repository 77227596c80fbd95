import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../support/api-client';
import {
  STAFF_PASSWORD,
  createAgency,
  createOperator,
  fakePdf,
  signedInRequester,
  startLegalServer,
  uploadFile,
  validSubmission,
} from '../support/legal-fixtures';
import type { TestServer } from '../support/test-server';

// Bad input gets a clear 4xx with a catalogue code, and nothing is half-written.

describe('trust center: bad input', () => {
  let server: TestServer;
  let jane: ApiClient;
  let reviewer: ApiClient;
  let requestId: string;

  const count = async (table: 'legal_requests' | 'legal_documents' | 'legal_request_targets') =>
    Number(
      (
        await server.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const unchanged = async <T>(fn: () => Promise<T>): Promise<T> => {
    const before = [
      await count('legal_requests'),
      await count('legal_documents'),
      await count('legal_request_targets'),
    ];
    const head = await server.stores.legal.audit.head();
    const out = await fn();
    expect([
      await count('legal_requests'),
      await count('legal_documents'),
      await count('legal_request_targets'),
    ]).toEqual(before);
    expect(await server.stores.legal.audit.head()).toEqual(head);
    return out;
  };

  beforeAll(async () => {
    server = await startLegalServer();
    await createOperator(server);
    reviewer = new ApiClient(server.url);
    await reviewer.signIn('reviewer@operator.test', STAFF_PASSWORD);
    await createAgency(server.stores.legal, 'police.example.gov');
    jane = await signedInRequester(server, 'police.example.gov', 'jane@police.example.gov');
    requestId = (
      await jane.post(
        '/api/legal/portal/requests',
        validSubmission({ ndo: { hasEndDate: false, citation: '18 U.S.C. § 2705(b)' } }),
      )
    ).body.request.id as string;
  });
  afterAll(async () => {
    await server?.stop();
  });

  const submit = (over: Record<string, unknown>) =>
    jane.post('/api/legal/portal/requests', validSubmission(over));

  it('a non-PDF upload is refused by its bytes, whatever its name', async () => {
    const res = await unchanged(() =>
      uploadFile(
        jane,
        server.url,
        `/api/legal/portal/requests/${requestId}/documents`,
        new TextEncoder().encode('<html>not a pdf</html>'),
        'order.pdf',
      ),
    );
    expect([res.status, res.body.code]).toEqual([415, 'LEGAL_NOT_A_PDF']);
  });

  it('an oversized file is refused with 413 and nothing is stored', async () => {
    const res = await unchanged(() =>
      uploadFile(
        jane,
        server.url,
        `/api/legal/portal/requests/${requestId}/documents`,
        fakePdf(1024 * 1024 + 10),
        'big.pdf',
      ),
    );
    expect([res.status, res.body.code]).toEqual([413, 'LEGAL_DOCUMENT_TOO_LARGE']);
  });

  it('an upload that is not multipart is a 400', async () => {
    const res = await unchanged(() =>
      jane.post(`/api/legal/portal/requests/${requestId}/documents`, { file: 'x' }),
    );
    expect([res.status, res.body.code]).toEqual([400, 'BAD_REQUEST']);
  });

  it('an unknown target type is a 400 naming the field, and no request is stored', async () => {
    const res = await unchanged(() => submit({ targets: [{ type: 'phone', value: '+15550100' }] }));
    expect([res.status, res.body.code]).toEqual([400, 'BAD_REQUEST']);
    expect(res.body.message).toMatch(/targets\.0\.type/);
  });

  it('an NDO marked as having an end date without one is a 400', async () => {
    const res = await unchanged(() => submit({ ndo: { hasEndDate: true, citation: '2705(b)' } }));
    expect([res.status, res.body.code]).toEqual([400, 'BAD_REQUEST']);
    expect(res.body.message).toMatch(/ndo\.endDate/);
  });

  it('refuses an unknown request type, a reversed date range, a bad country code, no targets, and too many', async () => {
    for (const over of [
      { type: 'letter_from_mayor' },
      { rangeFrom: '2026-05-01T00:00:00.000Z', rangeTo: '2026-01-01T00:00:00.000Z' },
      { country: 'usa' },
      { targets: [] },
      { targets: Array.from({ length: 101 }, (_, i) => ({ type: 'email', value: `a${i}@x.org` })) },
      { dataCategories: ['everything'] },
      { deadline: 'tomorrow' },
    ]) {
      const res = await unchanged(() => submit(over));
      expect([JSON.stringify(over).slice(0, 40), res.status, res.body.code]).toEqual([
        JSON.stringify(over).slice(0, 40),
        400,
        'BAD_REQUEST',
      ]);
    }
  });

  it('an NDO without an end date can never be marked valid, so it cannot suppress a notice', async () => {
    const res = await reviewer.post(`/api/legal/requests/${requestId}/ndo/review`, { valid: true });
    expect([res.status, res.body.code]).toEqual([409, 'LEGAL_SUPPRESSION_INVALID']);
    const view = (await reviewer.get(`/api/legal/requests/${requestId}`)).body;
    expect(view.request.ndoValid).toBeNull();
    expect(view.prechecks.map((p: { code: string }) => p.code)).toContain('ndo_without_end_date');
  });

  it('console input is validated: unknown ground, challenge without its kind, unknown decision', async () => {
    const bad = [
      [
        `/api/legal/requests/${requestId}/checklist`,
        'PUT',
        { answers: [{ ground: 'vibes', result: 'pass' }] },
      ],
      [`/api/legal/requests/${requestId}/decisions`, 'POST', { kind: 'challenge', rationale: 'x' }],
      [`/api/legal/requests/${requestId}/decisions`, 'POST', { kind: 'shrug', rationale: 'x' }],
    ] as const;
    for (const [url, method, body] of bad) {
      const res = await reviewer.request(method, url, body);
      expect([url, res.status, res.body.code]).toEqual([url, 400, 'BAD_REQUEST']);
    }
    expect((await reviewer.get(`/api/legal/requests/${requestId}`)).body.decisions).toEqual([]);
  });
});
