import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccountWithOwner } from '../../apps/server/src/modules/accounts/account-setup';
import { totpCodeAt } from '../../apps/server/src/modules/accounts/totp';
import { verifyChain } from '../../apps/server/src/modules/legal/audit-chain';
import { ApiClient } from '../support/api-client';
import {
  STAFF_PASSWORD as PASSWORD,
  createAgency,
  createOperator,
  createUser,
  fakePdf,
  signedInRequester,
  startLegalServer,
  uploadFile,
  validSubmission,
} from '../support/legal-fixtures';
import type { TestServer } from '../support/test-server';

// Issue 7 end to end over HTTP: a requester registers and submits, two reviewers decide and
// approve, the affected user is notified before the production is released to the portal.

const DAY = 86_400_000;

describe('trust center: intake, review, notice, production', () => {
  let server: TestServer;
  let offset = 0;
  const clock = () => new Date(Date.now() + offset);
  let reviewer: ApiClient;
  let admin: ApiClient;
  let suspectId: string;
  let meetingId: string;

  const outbox = (to: string) =>
    server.db.selectFrom('outbox').selectAll().where('to_address', '=', to).execute();
  const signIn = async (email: string) => {
    const c = new ApiClient(server.url);
    expect((await c.signIn(email, PASSWORD)).status).toBe(200);
    return c;
  };

  beforeAll(async () => {
    server = await startLegalServer({ schedulerIntervalSeconds: 3600 }, { clock });
    const op = await createOperator(server);
    await createUser(server.stores, op.accountId, 'legal_admin', 'counsel@operator.test', PASSWORD);
    const customer = await createAccountWithOwner(server.stores, {
      name: 'Customer',
      ownerEmail: 'boss@customer.test',
      ownerName: 'Boss',
      ownerPassword: PASSWORD,
    });
    suspectId = await createUser(
      server.stores,
      customer.accountId,
      'member',
      'suspect@customer.test',
      PASSWORD,
    );
    await server.db
      .updateTable('accounts')
      .set({ country_iso2: 'US', subdivision: 'CA' })
      .where('id', '=', customer.accountId)
      .execute();
    const suspect = await signIn('suspect@customer.test');
    meetingId = (await suspect.post('/api/my/meetings', { title: 'Standup' })).body
      .meetingId as string;
    reviewer = await signIn('reviewer@operator.test');
    admin = await signIn('counsel@operator.test');
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('a requester registers with an allow-listed official address, verifies, enrols TOTP and attests', async () => {
    expect(
      (
        await admin.post('/api/legal/agencies', {
          name: 'San Mateo Police',
          country: 'US',
          subdivision: 'CA',
          level: 'local',
          emailDomains: ['police.example.gov'],
        })
      ).status,
    ).toBe(201);
    const c = new ApiClient(server.url);
    await c.get('/api/auth/csrf');
    const reg = {
      email: 'jane@police.example.gov',
      password: 'a long requester password',
      fullName: 'Det. Jane Roe',
      badgeNumber: '4521',
      phone: '+1 650 555 0100',
      mailingAddress: '400 County Center, Redwood City, CA',
    };
    expect(
      (await c.post('/api/legal/portal/register', { ...reg, email: 'x@gmail.com' })).body.code,
    ).toBe('LEGAL_DOMAIN_NOT_ALLOWED');
    // On the allow-list, but no agency owns the domain.
    expect(
      (await c.post('/api/legal/portal/register', { ...reg, email: 'x@other.example.gov' })).status,
    ).toBe(403);
    expect((await c.post('/api/legal/portal/register', reg)).status).toBe(201);
    expect((await c.post('/api/legal/portal/register', reg)).body.code).toBe('LEGAL_EMAIL_TAKEN');

    const login = await c.post('/api/legal/portal/login', {
      email: reg.email,
      password: reg.password,
    });
    expect(login.body).toMatchObject({ verified: false, emailVerified: false });
    expect((await c.post('/api/legal/portal/requests', validSubmission())).body.code).toBe(
      'LEGAL_REQUESTER_NOT_VERIFIED',
    );
    const mail = (await outbox(reg.email))[0]!;
    // Without SMTP the operator's owner can read it (the requester has no account of ours).
    expect(mail.account_id).toBe(await server.stores.subjects.operatorAccountId());
    const token = /#token=([\w-]+)/.exec(mail.body)![1]!;
    expect((await c.post('/api/legal/portal/verify-email', { token })).status).toBe(204);
    expect((await c.post('/api/legal/portal/verify-email', { token })).body.code).toBe(
      'TOKEN_INVALID',
    );
    const { secret } = (await c.post('/api/legal/portal/2fa/enroll')).body as { secret: string };
    expect(
      (await c.post('/api/legal/portal/2fa/verify', { code: totpCodeAt(secret, new Date()) }))
        .status,
    ).toBe(204);
    expect(
      (await c.post('/api/legal/portal/attestation', { version: 1, accept: true })).status,
    ).toBe(204);
    expect((await c.get('/api/legal/portal/me')).body).toMatchObject({
      verified: true,
      agency: { name: 'San Mateo Police' },
    });
    // Users' sessions never open the portal, and the requester's never opens the console.
    expect((await reviewer.get('/api/legal/portal/requests')).status).toBe(401);
    expect((await c.get('/api/legal/queue')).status).toBe(401);
  });

  it('submits a request once (retries are idempotent), uploads a PDF, and two reviewers decide a disclosure', async () => {
    const jane = await signedInRequester(server, 'police.example.gov', 'sam@police.example.gov');
    const body = validSubmission({
      targets: [
        { type: 'email', value: 'suspect@customer.test' },
        { type: 'email', value: 'nobody@nowhere.test' },
        { type: 'meeting_id', value: meetingId },
      ],
      dataCategories: ['basic_subscriber_info', 'non_content_records', 'content'],
      rangeFrom: new Date(Date.now() - 30 * DAY).toISOString(),
      rangeTo: new Date(Date.now() + DAY).toISOString(),
    });
    const first = await jane.post('/api/legal/portal/requests', body);
    expect(first.status).toBe(201);
    const again = await jane.post('/api/legal/portal/requests', body);
    expect([again.status, again.body.request.id]).toEqual([200, first.body.request.id]);
    const id = first.body.request.id as string;
    expect(first.body.request).toMatchObject({
      status: 'received',
      accountsSpecified: 3,
      wantsContent: true,
    });

    const pdf = fakePdf();
    const up = await uploadFile(
      jane,
      server.url,
      `/api/legal/portal/requests/${id}/documents`,
      pdf,
      'warrant.pdf',
    );
    expect(up.status).toBe(201);
    expect(up.body.document.sha256).toBe(createHash('sha256').update(pdf).digest('hex'));

    const queue = (await reviewer.get('/api/legal/queue')).body.queue as {
      request: { id: string };
    }[];
    expect(queue.map((q) => q.request.id)).toContain(id);
    const view = (await reviewer.get(`/api/legal/requests/${id}`)).body;
    const flags = (view.prechecks as { code: string; level: string }[]).filter(
      (p) => p.level === 'flag',
    );
    expect(flags.map((f) => f.code)).toEqual(['targets_without_account']);
    expect(view.prechecks.map((p: { code: string }) => p.code)).toContain('content_not_held');
    const doc = await fetch(
      `${server.url}/api/legal/requests/${id}/documents/${up.body.document.id}`,
      {
        headers: { cookie: [...reviewer.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
      },
    );
    expect(doc.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await doc.arrayBuffer()).equals(Buffer.from(pdf))).toBe(true);

    const grounds = [
      'overbroad_or_vague',
      'no_legal_basis_in_jurisdiction',
      'not_good_faith_crime',
      'target_not_subject_to_jurisdiction',
      'requester_lacks_authority',
      'ndo_without_end_date',
      'improperly_served_or_deficient',
    ];
    const checklist = await reviewer.put(`/api/legal/requests/${id}/checklist`, {
      answers: grounds.map((ground) => ({
        ground,
        result: ground === 'ndo_without_end_date' ? 'not_applicable' : 'pass',
        notes: '',
      })),
    });
    expect(checklist.body.checklist).toHaveLength(7);

    const d = await reviewer.post(`/api/legal/requests/${id}/decisions`, {
      kind: 'disclose_non_content',
      rationale: 'Valid warrant; non-content only.',
    });
    expect(d.body.decision.state).toBe('pending_approval');
    const approveUrl = `/api/legal/requests/${id}/decisions/${d.body.decision.id}/approve`;
    expect((await reviewer.post(approveUrl)).body.code).toBe('LEGAL_SECOND_REVIEWER_REQUIRED');
    expect((await admin.post(approveUrl)).body.decision.approvedBy).toBeDefined();
    expect((await admin.post(approveUrl)).body.code).toBe('LEGAL_TRANSITION_NOT_ALLOWED');

    // The production holds what is stored, states what is not, and waits for the user notice.
    const prod = await admin.post(`/api/legal/requests/${id}/productions`);
    expect(prod.status).toBe(201);
    const manifest = prod.body.production.manifest;
    expect(manifest.statements.meetingContent).toMatch(/end-to-end encrypted/);
    expect(manifest.files.map((f: { name: string }) => f.name)).toEqual([
      'meeting-metadata.json',
      // Cloud recordings held for the targets (none here): listed even when empty (issue 20).
      'recordings-held.json',
      'statement.txt',
      'subscriber-information.json',
    ]);
    const releaseUrl = `/api/legal/requests/${id}/productions/${prod.body.production.id}/release`;
    expect((await admin.post(releaseUrl)).body.code).toBe('LEGAL_NOTICE_PENDING');
    expect((await jane.get(`/api/legal/portal/requests/${id}`)).body.productions).toEqual([]);

    expect(await server.legal.scheduler.tick()).toMatchObject({ sent: 1 });
    const notified = await outbox('suspect@customer.test');
    expect(notified).toHaveLength(1);
    expect(notified[0]!.body).toMatch(
      /San Mateo Police[\s\S]*18 U\.S\.C\. § 2703\(a\)[\s\S]*intend to disclose/,
    );
    const suspect = await signIn('suspect@customer.test');
    expect((await suspect.get('/api/my/notices')).body.notices[0].kind).toBe('government_request');

    expect((await admin.post(releaseUrl)).status).toBe(204);
    const portal = (await jane.get(`/api/legal/portal/requests/${id}`)).body;
    expect(portal.request.status).toBe('released');
    const res = await fetch(
      `${server.url}/api/legal/portal/requests/${id}/productions/${prod.body.production.id}`,
      { headers: { cookie: [...jane.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } },
    );
    const pkg = Buffer.from(await res.arrayBuffer());
    const sha = createHash('sha256').update(pkg).digest('hex');
    expect(res.headers.get('x-content-sha256')).toBe(sha);
    const parsed = JSON.parse(pkg.toString('utf8')) as { files: Record<string, string> };
    expect(parsed.files['subscriber-information.json']).toContain(suspectId);
    expect(JSON.parse(parsed.files['meeting-metadata.json']!)[0].meetingId).toBe(meetingId);
    for (const [name, text] of Object.entries(parsed.files))
      expect(manifest.files.find((f: { name: string }) => f.name === name).sha256).toBe(
        createHash('sha256').update(text).digest('hex'),
      );

    // Another agency sees none of it.
    await createAgency(server.stores.legal, 'sheriff.example.gov');
    const al = await signedInRequester(server, 'sheriff.example.gov', 'al@sheriff.example.gov');
    expect((await al.get(`/api/legal/portal/requests/${id}`)).status).toBe(404);
    expect((await al.get('/api/legal/portal/requests')).body.requests).toEqual([]);

    const trail = (await admin.get(`/api/legal/requests/${id}/audit`)).body.entries as {
      action: string;
    }[];
    expect(trail.map((e) => e.action)).toEqual(
      expect.arrayContaining([
        'request.submitted',
        'document.uploaded',
        'request.viewed',
        'document.viewed',
        'checklist.saved',
        'decision.recorded',
        'decision.approved',
        'notice.created',
        'notice.sent',
        'production.created',
        'production.released',
        'production.downloaded',
      ]),
    );
    expect(
      await verifyChain(
        server.stores.legal.audit.entries(),
        await server.stores.legal.audit.head(),
      ),
    ).toMatchObject({ ok: true });
  });

  it('an NDO with an end date, marked valid, holds the notice until it expires; an extension moves it; the team is reminded once', async () => {
    const jane = await signedInRequester(server, 'police.example.gov', 'ndo@police.example.gov');
    const end = new Date(clock().getTime() + 30 * DAY);
    const sub = await jane.post(
      '/api/legal/portal/requests',
      validSubmission({
        targets: [{ type: 'user_id', value: suspectId }],
        dataCategories: ['basic_subscriber_info'],
        type: 'court_order',
        ndo: { hasEndDate: true, endDate: end.toISOString(), citation: '18 U.S.C. § 2705(b)' },
      }),
    );
    const id = sub.body.request.id as string;
    expect(
      (await reviewer.post(`/api/legal/requests/${id}/ndo/review`, { valid: true })).status,
    ).toBe(204);
    const d = await reviewer.post(`/api/legal/requests/${id}/decisions`, {
      kind: 'disclose_non_content',
      rationale: 'Court order for subscriber information.',
    });
    await admin.post(`/api/legal/requests/${id}/decisions/${d.body.decision.id}/approve`);
    const notices = (await admin.get(`/api/legal/requests/${id}`)).body.notices;
    expect(notices).toMatchObject([{ state: 'suppressed', suppressionReason: 'ndo' }]);
    const before = (await outbox('suspect@customer.test')).length;

    await server.legal.scheduler.tick();
    expect((await outbox('suspect@customer.test')).length).toBe(before);

    offset = 25 * DAY; // inside the 7-day reminder window
    await server.legal.scheduler.tick();
    await server.legal.scheduler.tick();
    const reminders = (await outbox('counsel@operator.test')).filter(
      (m) => m.subject === 'Trust center reminder',
    );
    expect(reminders).toHaveLength(1);

    const newEnd = new Date(end.getTime() + 30 * DAY);
    expect(
      (
        await reviewer.post(`/api/legal/requests/${id}/ndo/extensions`, {
          newEndDate: newEnd.toISOString(),
          citation: 'Extension order',
        })
      ).status,
    ).toBe(201);
    offset = 31 * DAY; // past the first end date, not the extended one
    await server.legal.scheduler.tick();
    expect((await outbox('suspect@customer.test')).length).toBe(before);

    offset = 61 * DAY;
    expect(await server.legal.scheduler.tick()).toMatchObject({ sent: 1 });
    expect((await outbox('suspect@customer.test')).length).toBe(before + 1);
    expect(await server.legal.scheduler.tick()).toMatchObject({ sent: 0 });
    offset = 0;
  });

  it('an emergency suppression needs a live emergency and is lifted when the emergency is marked over', async () => {
    const jane = await signedInRequester(server, 'police.example.gov', 'er@police.example.gov');
    const sub = await jane.post(
      '/api/legal/portal/requests',
      validSubmission({
        type: 'emergency',
        targets: [{ type: 'email', value: 'suspect@customer.test' }],
      }),
    );
    const id = sub.body.request.id as string;
    const queue = (await reviewer.get('/api/legal/queue')).body.queue as {
      request: { id: string };
    }[];
    expect(queue[0]!.request.id).toBe(id); // emergencies first
    const d = await reviewer.post(`/api/legal/requests/${id}/decisions`, {
      kind: 'disclose_non_content',
      rationale: 'Threat to life.',
    });
    await admin.post(`/api/legal/requests/${id}/decisions/${d.body.decision.id}/approve`);
    const [notice] = (await admin.get(`/api/legal/requests/${id}`)).body.notices as {
      id: string;
    }[];
    const suppress = `/api/legal/requests/${id}/notices/${notice!.id}/suppress`;
    expect((await admin.post(suppress, { reason: 'ndo', notes: 'no order' })).body.code).toBe(
      'LEGAL_SUPPRESSION_INVALID',
    );
    expect(
      (
        await admin.post(suppress, {
          reason: 'life_threatening_emergency',
          notes: 'Kidnapping in progress',
        })
      ).status,
    ).toBe(204);
    const before = (await outbox('suspect@customer.test')).length;
    expect(await server.legal.scheduler.tick()).toMatchObject({ sent: 0 });
    expect((await reviewer.post(`/api/legal/requests/${id}/emergency-over`)).status).toBe(204);
    expect(await server.legal.scheduler.tick()).toMatchObject({ sent: 1 });
    expect((await outbox('suspect@customer.test')).length).toBe(before + 1);
  });

  it('a requester can withdraw an open request and message the legal team', async () => {
    const jane = await signedInRequester(server, 'police.example.gov', 'wd@police.example.gov');
    const id = (await jane.post('/api/legal/portal/requests', validSubmission())).body.request
      .id as string;
    expect(
      (
        await jane.post(`/api/legal/portal/requests/${id}/messages`, {
          body: 'Narrowed scope attached.',
        })
      ).status,
    ).toBe(201);
    expect(
      (await reviewer.post(`/api/legal/requests/${id}/messages`, { body: 'Thank you.' })).status,
    ).toBe(201);
    expect((await jane.get(`/api/legal/portal/requests/${id}`)).body.messages).toHaveLength(2);
    expect(
      (await jane.post(`/api/legal/portal/requests/${id}/withdraw`, { reason: 'Case closed.' }))
        .body.request,
    ).toMatchObject({
      status: 'withdrawn',
      outcome: 'withdrawn',
    });
    const messages = (await reviewer.get(`/api/legal/requests/${id}`)).body.messages as {
      body: string;
    }[];
    expect(messages.at(-1)!.body).toBe('Withdrawn: Case closed.');
    expect((await jane.post(`/api/legal/portal/requests/${id}/withdraw`, {})).body.code).toBe(
      'LEGAL_TRANSITION_NOT_ALLOWED',
    );
    expect(
      (
        await reviewer.post(`/api/legal/requests/${id}/decisions`, {
          kind: 'reject',
          rationale: 'x',
        })
      ).body.code,
    ).toBe('LEGAL_TRANSITION_NOT_ALLOWED');
  });
});
