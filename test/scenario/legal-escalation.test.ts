import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../support/api-client';
import {
  createAgency,
  createOperator,
  createUser,
  signedInRequester,
  STAFF_PASSWORD as PASSWORD,
  startLegalServer,
  validSubmission,
} from '../support/legal-fixtures';
import { mailedToken } from '../support/mailbox';
import type { TestServer } from '../support/test-server';
import { enrolledTotp, nextTotpCode } from '../support/totp-codes';

// Issue 15, the attack as the adversarial review ran it: an account admin makes themselves legal
// staff (two invitations to addresses they control, links read in the outbox) and one person
// then both decides and approves a disclosure. Each step is now refused; the two-reviewer rule
// holds even when a legal admin brings in a second account of their own.
describe('legal roles cannot be escalated into by one person', () => {
  let server: TestServer;
  let owner: ApiClient;
  let admin: ApiClient;
  let counsel: ApiClient;

  const signIn = async (email: string) => {
    const c = new ApiClient(server.url);
    expect((await c.signIn(email, PASSWORD)).status).toBe(200);
    return c;
  };

  beforeAll(async () => {
    server = await startLegalServer({ schedulerIntervalSeconds: 3600 });
    const op = await createOperator(server);
    await createUser(server.stores, op.accountId, 'admin', 'it@operator.test', PASSWORD);
    await createUser(server.stores, op.accountId, 'legal_admin', 'counsel@operator.test', PASSWORD);
    await createAgency(server.stores.legal, 'police.example.gov');
    owner = await signIn('owner@operator.test');
    admin = await signIn('it@operator.test');
    counsel = await signIn('counsel@operator.test');
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('an account admin cannot invite legal staff, nor read the invitation links', async () => {
    for (const [i, role] of (['legal_admin', 'legal_admin'] as const).entries()) {
      const res = await admin.post('/api/admin/users/invite', {
        email: `mine${i}@attacker.test`,
        role,
      });
      expect([res.status, res.body.code]).toEqual([403, 'LEGAL_ROLES_RESTRICTED']);
    }
    // The owner invites someone; the admin sees that a mail waits, never its link.
    await owner.post('/api/admin/users/invite', { email: 'new@operator.test', role: 'member' });
    const outbox = (await admin.get('/api/admin/outbox')).body.messages as {
      to: string;
      body: string | null;
    }[];
    expect(outbox.find((m) => m.to === 'new@operator.test')).toMatchObject({ body: null });
  });

  it('a decider cannot approve through a reviewer they invited, until the owner confirms that reviewer', async () => {
    // The legal admin brings in a second reviewer (their own second address, as far as the
    // server can tell).
    const invited = await counsel.post('/api/legal/staff/invite', {
      email: 'sock@operator.test',
      role: 'legal_reviewer',
    });
    expect(invited.status).toBe(201);
    const sockId = invited.body.user.id as string;
    const sock = new ApiClient(server.url);
    await sock.get('/api/auth/csrf');
    await sock.post('/api/auth/invite/accept', {
      token: await mailedToken(server, 'sock@operator.test'),
      password: PASSWORD,
    });
    // A password alone does not open the console.
    const early = await sock.get('/api/legal/queue');
    expect([early.status, early.body.code]).toEqual([403, 'LEGAL_TWO_FACTOR_REQUIRED']);
    const { secret } = (await sock.post('/api/auth/2fa/enroll', {})).body as { secret: string };
    await sock.post('/api/auth/2fa/verify', { code: await nextTotpCode(secret) });
    enrolledTotp.set('sock@operator.test', secret);
    expect((await sock.get('/api/legal/queue')).status).toBe(200);

    const jane = await signedInRequester(server, 'police.example.gov', 'jane@police.example.gov');
    const id = (await jane.post('/api/legal/portal/requests', validSubmission())).body.request
      .id as string;
    const decided = await counsel.post(`/api/legal/requests/${id}/decisions`, {
      kind: 'disclose_non_content',
      rationale: 'Valid warrant.',
    });
    expect(decided.body.decision.state).toBe('pending_approval');
    const approve = `/api/legal/requests/${id}/decisions/${decided.body.decision.id}/approve`;
    const refused = await sock.post(approve);
    expect([refused.status, refused.body.code]).toEqual([409, 'LEGAL_REVIEWERS_LINKED']);
    // Only the owner vouches for a reviewer; an admin or the decider cannot.
    expect((await admin.post(`/api/admin/users/${sockId}/confirm-reviewer`)).status).toBe(403);
    expect((await owner.post(`/api/admin/users/${sockId}/confirm-reviewer`)).status).toBe(200);
    const approved = await sock.post(approve);
    expect(approved.status).toBe(200);
    expect(approved.body.decision.state).toBe('effective');
    const audit = (await owner.get('/api/admin/audit')).body.entries as { action: string }[];
    expect(audit.map((e) => e.action)).toContain('user.reviewer_confirmed');
  });

  it('the link also holds the other way round and through a chain of invitations', async () => {
    // counsel invites deputy (legal_admin), deputy invites clerk: counsel and clerk are linked.
    const deputy = await counsel.post('/api/legal/staff/invite', {
      email: 'deputy@operator.test',
      role: 'legal_admin',
    });
    const d = new ApiClient(server.url);
    await d.get('/api/auth/csrf');
    await d.post('/api/auth/invite/accept', {
      token: await mailedToken(server, 'deputy@operator.test'),
      password: PASSWORD,
    });
    const { secret } = (await d.post('/api/auth/2fa/enroll', {})).body as { secret: string };
    await d.post('/api/auth/2fa/verify', { code: await nextTotpCode(secret) });
    expect(deputy.status).toBe(201);
    expect(
      (
        await d.post('/api/legal/staff/invite', {
          email: 'clerk@operator.test',
          role: 'legal_reviewer',
        })
      ).status,
    ).toBe(201);
    const clerk = new ApiClient(server.url);
    await clerk.get('/api/auth/csrf');
    await clerk.post('/api/auth/invite/accept', {
      token: await mailedToken(server, 'clerk@operator.test'),
      password: PASSWORD,
    });
    const c2 = (await clerk.post('/api/auth/2fa/enroll', {})).body as { secret: string };
    await clerk.post('/api/auth/2fa/verify', { code: await nextTotpCode(c2.secret) });

    const jane = await signedInRequester(server, 'police.example.gov', 'joe@police.example.gov');
    const id = (await jane.post('/api/legal/portal/requests', validSubmission())).body.request
      .id as string;
    // The clerk decides; counsel, who invited the clerk's inviter, may not approve.
    const decided = await clerk.post(`/api/legal/requests/${id}/decisions`, {
      kind: 'disclose_non_content',
      rationale: 'Valid warrant.',
    });
    const approve = `/api/legal/requests/${id}/decisions/${decided.body.decision.id}/approve`;
    expect((await counsel.post(approve)).body.code).toBe('LEGAL_REVIEWERS_LINKED');
    // An independent reviewer (brought in by the owner) approves.
    const independent = await signIn('reviewer@operator.test');
    expect((await independent.post(approve)).body.decision.state).toBe('effective');
  });
});
