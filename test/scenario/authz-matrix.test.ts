import { readFileSync } from 'node:fs';
import Fastify from 'fastify';
import cookie from '@fastify/cookie';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installAccessControl } from '../../apps/server/src/http/auth/access';
import type { CookiePolicy } from '../../apps/server/src/http/auth/cookies';
import type { AuthService } from '../../apps/server/src/modules/accounts/auth-service';
import { createAccountWithOwner } from '../../apps/server/src/modules/accounts/account-setup';
import { ApiClient } from '../support/api-client';
import { mailedToken } from '../support/mailbox';
import { enrolledTotp, nextTotpCode } from '../support/totp-codes';
import { createAgency, createVerifiedRequester, requesterClient } from '../support/legal-fixtures';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

const ROLES = [
  'anonymous',
  'guest',
  'member',
  'admin',
  'owner',
  'legal_reviewer',
  'legal_admin',
  'other_admin',
  'requester',
] as const;
type Caller = (typeof ROLES)[number];
type Row = Record<Caller, number>;

const all = (s: number): Row => Object.fromEntries(ROLES.map((r) => [r, s])) as Row;
/** Any signed-in user; `other` is another account's admin. */
const signedIn = (s: number, other = s): Row => ({
  ...all(s),
  anonymous: 401,
  guest: 401,
  other_admin: other,
  requester: 401,
});
/** Owners and admins of the account only. */
const admins = (s: number, other = s): Row => ({
  anonymous: 401,
  guest: 401,
  member: 403,
  admin: s,
  owner: s,
  legal_reviewer: 403,
  legal_admin: 403,
  other_admin: other,
  requester: 401,
});
/** legal_reviewer / legal_admin of the operator account (A, the oldest); `adminOnly` drops reviewers. */
const legal = (s: number, adminOnly = false): Row => ({
  anonymous: 401,
  guest: 401,
  member: 403,
  admin: 403,
  owner: 403,
  legal_reviewer: adminOnly ? 403 : s,
  legal_admin: s,
  other_admin: 403,
  requester: 401,
});
/** A signed-in government requester (own cookie); no user session opens the portal. */
const requester = (s: number): Row => ({ ...all(401), requester: s });

/**
 * Every HTTP route x every caller -> status. A route that is registered without a row here fails
 * the first test; allowed callers get a request that passes authorization and then stops
 * harmlessly (an empty body -> 400, an unknown id -> 404) or changes nothing.
 */
const MATRIX: Record<string, { row: Row; body?: unknown; query?: string }> = {
  'POST /api/meetings': { row: all(201) },
  'GET /api/meetings/:id': { row: all(404) },
  'GET /api/guest-policy': { row: all(200) },
  'GET /api/auth/csrf': { row: all(200) },
  'POST /api/auth/login': { row: all(400) },
  'POST /api/auth/logout': { row: signedIn(204) },
  'POST /api/auth/logout-all': { row: signedIn(204) },
  'GET /api/auth/me': { row: signedIn(200) },
  'POST /api/auth/password': { row: signedIn(400) },
  // Legal staff have 2FA already (the console requires it).
  'POST /api/auth/2fa/enroll': { row: { ...signedIn(200), legal_reviewer: 409, legal_admin: 409 } },
  'POST /api/auth/2fa/verify': { row: signedIn(400) },
  'POST /api/auth/2fa/disable': { row: signedIn(400) },
  'POST /api/auth/2fa/recovery-codes': { row: signedIn(400) },
  'POST /api/auth/password-reset/request': { row: all(400) },
  'POST /api/auth/password-reset/complete': { row: all(400) },
  'POST /api/auth/invite/accept': { row: all(400) },
  'GET /api/admin/users': { row: admins(200) },
  'POST /api/admin/users/invite': { row: admins(400) },
  // Another account's admin never reaches this account's users.
  'PATCH /api/admin/users/:userId': { row: admins(200, 404), body: { role: 'member' } },
  'POST /api/admin/users/:userId/deactivate': { row: admins(200, 404) },
  'POST /api/admin/users/:userId/reactivate': { row: admins(200, 404) },
  'POST /api/admin/users/:userId/sign-out': { row: admins(200, 404) },
  'POST /api/admin/users/:userId/reset-2fa': { row: admins(200, 404) },
  // Owner only; the victim is a member, not legal staff (400).
  'POST /api/admin/users/:userId/confirm-reviewer': { row: { ...admins(403), owner: 400 } },
  'GET /api/admin/plan': { row: admins(200) },
  'PUT /api/admin/plan': { row: admins(200), body: { plan: 'basic' } },
  'GET /api/admin/meeting-settings': { row: admins(200) },
  'PUT /api/admin/meeting-settings': { row: admins(200), body: {} },
  'GET /api/admin/security': { row: admins(200) },
  'PUT /api/admin/security': { row: admins(200), body: { requireTwoFactor: false } },
  'GET /api/admin/location': { row: admins(200) },
  // An empty body names no country: 400 for those let in, nothing changes.
  'PUT /api/admin/location': { row: admins(400) },
  'GET /api/admin/audit': { row: admins(200) },
  'GET /api/admin/outbox': { row: admins(200) },
  // The operator account's (A's) owners and admins see the nodes; another account's admin never.
  'GET /api/admin/cluster/nodes': { row: admins(200, 403) },
  'GET /api/my/meetings': { row: signedIn(200) },
  'POST /api/my/meetings': { row: signedIn(201) },
  'GET /api/my/colleagues': { row: signedIn(200) },
  // Only the meeting's owner names co-hosts; other accounts do not see the meeting at all.
  'PUT /api/my/meetings/:id/cohosts': {
    row: { ...signedIn(403, 404), owner: 200 },
    body: { userIds: [] },
  },
  // Recordings: ":id" is not a UUID (400) for everyone let in; own vs others': recordings test.
  'GET /api/my/recordings': { row: signedIn(200) },
  'GET /api/admin/recordings': { row: admins(200) },
  'GET /api/recordings/:id': { row: signedIn(400) },
  'GET /api/recordings/:id/files/:kind': { row: signedIn(400) },
  'DELETE /api/recordings/:id': { row: signedIn(400) },
  'GET /api/admin/recording-settings': { row: admins(200) },
  // An empty body changes nothing: 400 for those let in.
  'PUT /api/admin/recording-settings': { row: admins(400) },
  'GET /api/my/notices': { row: signedIn(200) },
  // ":id" becomes a meeting number, not a notice id (400); own vs others': legal-notices test.
  'POST /api/my/notices/:id/read': { row: signedIn(400) },
  // Trust center: requester portal. Ids that are not UUIDs stop at validation (400).
  'POST /api/legal/portal/register': { row: all(400) },
  'POST /api/legal/portal/verify-email': { row: all(400) },
  'POST /api/legal/portal/login': { row: all(400) },
  'POST /api/legal/portal/logout': { row: requester(204) },
  'GET /api/legal/portal/me': { row: requester(200) },
  'POST /api/legal/portal/2fa/enroll': { row: requester(409) },
  'POST /api/legal/portal/2fa/verify': { row: requester(400) },
  'GET /api/legal/portal/attestation': { row: all(200) },
  'POST /api/legal/portal/attestation': { row: requester(400) },
  'POST /api/legal/portal/requests': { row: requester(400) },
  'GET /api/legal/portal/requests': { row: requester(200) },
  'GET /api/legal/portal/requests/:id': { row: requester(400) },
  'POST /api/legal/portal/requests/:id/documents': { row: requester(400) },
  'GET /api/legal/portal/requests/:id/documents/:docId': { row: requester(400) },
  'POST /api/legal/portal/requests/:id/messages': { row: requester(400) },
  'POST /api/legal/portal/requests/:id/withdraw': { row: requester(400) },
  'GET /api/legal/portal/requests/:id/productions/:prodId': { row: requester(400) },
  // Trust center: legal console.
  'GET /api/legal/queue': { row: legal(200) },
  'GET /api/legal/requests/:id': { row: legal(400) },
  'PUT /api/legal/requests/:id/checklist': { row: legal(400) },
  'POST /api/legal/requests/:id/decisions': { row: legal(400) },
  'POST /api/legal/requests/:id/decisions/:decisionId/approve': { row: legal(400) },
  'POST /api/legal/requests/:id/ndo/review': { row: legal(400) },
  'POST /api/legal/requests/:id/ndo/extensions': { row: legal(400) },
  'POST /api/legal/requests/:id/emergency-over': { row: legal(400) },
  'POST /api/legal/requests/:id/preservation/release': { row: legal(400) },
  'POST /api/legal/requests/:id/notices/:noticeId/suppress': { row: legal(400) },
  'POST /api/legal/requests/:id/notices/:noticeId/send': { row: legal(400) },
  'POST /api/legal/requests/:id/productions': { row: legal(400) },
  'POST /api/legal/requests/:id/productions/:prodId/release': { row: legal(400) },
  'GET /api/legal/requests/:id/productions/:prodId': { row: legal(400) },
  'GET /api/legal/requests/:id/documents/:docId': { row: legal(400) },
  'POST /api/legal/requests/:id/messages': { row: legal(400) },
  'GET /api/legal/requests/:id/audit': { row: legal(400) },
  'GET /api/legal/agencies': { row: legal(200) },
  'POST /api/legal/agencies': { row: legal(400, true) },
  // Legal staff are managed by legal admins (and the owner in the admin console), never admins.
  'GET /api/legal/staff': { row: legal(200, true) },
  'POST /api/legal/staff/invite': { row: legal(400, true) },
  'PATCH /api/legal/staff/:userId': { row: legal(200, true), body: { role: 'member' } },
  // Transparency reports: public reading (":period" is not a period -> 400), legal_admin writing.
  'GET /api/transparency/reports': { row: all(200) },
  'GET /api/transparency/reports/:period': { row: all(400) },
  'GET /api/transparency/reports/:period/json': { row: all(400) },
  'GET /api/transparency/reports/:period/csv': { row: all(400) },
  'GET /api/transparency/methodology': { row: all(200) },
  'GET /api/transparency/guide': { row: all(200) },
  'PUT /api/transparency/guide': { row: legal(400, true) },
  'GET /api/legal/transparency/preview/:period': { row: legal(400, true) },
  'POST /api/legal/transparency/reports': { row: legal(400, true) },
  'POST /api/legal/transparency/reports/:period/errata': { row: legal(400, true) },
};

const PASSWORD = 'correct horse battery';

describe('authorization matrix: every route x every caller', () => {
  let server: TestServer;
  const clients = new Map<Caller, ApiClient>();
  const emails = new Map<Caller, string>();
  let victimId: string;
  let ownedMeetingId: string;
  const ids = new Map<Caller, string>();
  let noTwoFactorReviewer: string;

  let requesterTotp = '';
  const signIn = async (role: Caller) => {
    if (role === 'requester') {
      clients.set(
        role,
        await requesterClient(server.url, 'jane@police.example.gov', requesterTotp),
      );
      return;
    }
    const c = new ApiClient(server.url);
    await c.get('/api/auth/csrf');
    const email = emails.get(role);
    if (email) expect((await c.signIn(email, PASSWORD)).status).toBe(200);
    clients.set(role, c);
  };

  beforeAll(async () => {
    server = await startTestServer({
      auth: {
        sessionTtlHours: 1,
        maxFailedLogins: 50,
        lockoutMinutes: 1,
        loginAttemptsPerMinute: 5000,
      },
    });
    await createAccountWithOwner(server.stores, {
      name: 'A',
      ownerEmail: 'owner@a.test',
      ownerName: 'Owner A',
      ownerPassword: PASSWORD,
    });
    await createAccountWithOwner(server.stores, {
      name: 'B',
      ownerEmail: 'owner@b.test',
      ownerName: 'Owner B',
      ownerPassword: PASSWORD,
    });
    emails.set('owner', 'owner@a.test');
    // Users of account A (and an admin of B) with each role, created through the admin API.
    const ownerA = new ApiClient(server.url);
    await ownerA.signIn('owner@a.test', PASSWORD);
    const ownerB = new ApiClient(server.url);
    await ownerB.signIn('owner@b.test', PASSWORD);
    const add = async (admin: ApiClient, role: string, email: string, twoFactor = true) => {
      const res = await admin.post('/api/admin/users/invite', { email, role });
      const token = await mailedToken(server, email);
      const c = new ApiClient(server.url);
      await c.get('/api/auth/csrf');
      await c.post('/api/auth/invite/accept', { token, password: PASSWORD });
      if (twoFactor && role.startsWith('legal_')) {
        // The legal console opens only with two-factor sign-in.
        const { secret } = (await c.post('/api/auth/2fa/enroll', {})).body as { secret: string };
        await c.post('/api/auth/2fa/verify', { code: await nextTotpCode(secret) });
        enrolledTotp.set(email, secret);
      }
      return res.body.user.id as string;
    };
    for (const role of ['member', 'admin', 'legal_reviewer', 'legal_admin'] as const) {
      ids.set(role, await add(ownerA, role, `${role}@a.test`));
      emails.set(role, `${role}@a.test`);
    }
    noTwoFactorReviewer = await add(ownerA, 'legal_reviewer', 'no2fa@a.test', false);
    await add(ownerB, 'admin', 'admin@b.test');
    emails.set('other_admin', 'admin@b.test');
    victimId = await add(ownerA, 'member', 'victim@a.test');
    const agencyId = await createAgency(server.stores.legal, 'police.example.gov');
    requesterTotp = (
      await createVerifiedRequester(server.stores.legal, agencyId, 'jane@police.example.gov')
    ).totpSecret;
    ownedMeetingId = (await ownerA.post('/api/my/meetings', {})).body.meetingId as string;
    for (const role of ROLES) await signIn(role);
    // A guest: no account session, but in a meeting of their own making (host key in hand).
    expect((await clients.get('guest')!.post('/api/meetings', {})).status).toBe(201);
  });
  afterAll(async () => {
    await server?.stop();
  });

  const apiRoutes = () =>
    server.app.routeTable
      .filter((r) => r.url.startsWith('/api/'))
      .map((r) => `${r.method} ${r.url}`);

  it('has a row for every registered route, and no row without a route', () => {
    const routes = apiRoutes();
    expect(routes.filter((r) => !(r in MATRIX))).toEqual([]);
    expect(Object.keys(MATRIX).filter((r) => !routes.includes(r))).toEqual([]);
  });

  it('the endpoint lists in the module READMEs name every route', () => {
    const doc = ['accounts', 'legal', 'transparency', 'recordings']
      .map((m) =>
        readFileSync(
          new URL(`../../apps/server/src/modules/${m}/README.md`, import.meta.url),
          'utf8',
        ),
      )
      .join('\n');
    const documented = new Set(
      [...doc.matchAll(/`(GET|POST|PUT|PATCH|DELETE) (\/api\/[^`\s]*)`/g)].map(
        (m) => `${m[1]} ${m[2]}`,
      ),
    );
    expect(apiRoutes().filter((r) => !documented.has(r))).toEqual([]);
  });

  it('routes outside /api are read-only and public by design', () => {
    const others = server.app.routeTable.filter((r) => !r.url.startsWith('/api/'));
    expect(others.every((r) => r.access === 'non-api' && r.method === 'GET')).toBe(true);
  });

  it('every caller gets the expected status on every route', async () => {
    const mismatches: string[] = [];
    for (const key of apiRoutes()) {
      const spec = MATRIX[key]!;
      const [method, url] = key.split(' ') as [string, string];
      const path = url
        .replace(':userId', victimId)
        .replace(':id', url.startsWith('/api/my/') ? ownedMeetingId : '12345678901');
      for (const role of ROLES) {
        const client = clients.get(role)!;
        const body = method === 'GET' ? undefined : (spec.body ?? {});
        const res = await client.request(method, path, body);
        if (res.status !== spec.row[role])
          mismatches.push(
            `${key} as ${role}: expected ${spec.row[role]}, got ${res.status} ${JSON.stringify(res.body)}`,
          );
        if (res.status === 401 || res.status === 403)
          expect(typeof res.body?.code, `${key} as ${role}`).toBe('string');
        // Signing out ends the session the next rows need (legal staff sign in again with a
        // fresh TOTP step: up to 30 s of waiting, hence the longer timeout).
        if (
          (url.startsWith('/api/auth/logout') || url === '/api/legal/portal/logout') &&
          res.status === 204
        )
          await signIn(role);
      }
    }
    expect(mismatches).toEqual([]);
  }, 90_000);

  it('legal roles: only the owner and legal admins grant, change or remove them (issue 15)', async () => {
    const admin = clients.get('admin')!;
    const legalAdmin = clients.get('legal_admin')!;
    const reviewerId = ids.get('legal_reviewer')!;
    const adminId = ids.get('admin')!;
    const outcome = async (p: Promise<{ status: number; body: { code?: string } }>) => {
      const r = await p;
      return [r.status, r.body.code];
    };
    const restricted = [403, 'LEGAL_ROLES_RESTRICTED'];
    // An admin cannot mint, promote to, demote from, deactivate or reset legal staff ...
    for (const role of ['legal_reviewer', 'legal_admin'])
      expect(
        await outcome(admin.post('/api/admin/users/invite', { email: `x-${role}@a.test`, role })),
      ).toEqual(restricted);
    expect(
      await outcome(admin.patch(`/api/admin/users/${victimId}`, { role: 'legal_admin' })),
    ).toEqual(restricted);
    expect(
      await outcome(admin.patch(`/api/admin/users/${reviewerId}`, { role: 'member' })),
    ).toEqual(restricted);
    expect(await outcome(admin.post(`/api/admin/users/${reviewerId}/deactivate`))).toEqual(
      restricted,
    );
    expect(await outcome(admin.post(`/api/admin/users/${reviewerId}/reset-2fa`))).toEqual(
      restricted,
    );
    // ... nor reach the legal staff routes; a legal admin can, for legal staff and members only.
    expect(
      await outcome(
        admin.post('/api/legal/staff/invite', { email: 'y@a.test', role: 'legal_reviewer' }),
      ),
    ).toEqual([403, 'FORBIDDEN']);
    expect(
      await outcome(
        legalAdmin.post('/api/legal/staff/invite', {
          email: 'rev2@a.test',
          role: 'legal_reviewer',
        }),
      ),
    ).toEqual([201, undefined]);
    expect(
      await outcome(legalAdmin.patch(`/api/legal/staff/${adminId}`, { role: 'legal_reviewer' })),
    ).toEqual([403, 'FORBIDDEN']);
    const staff = (await legalAdmin.get('/api/legal/staff')).body.users as { email: string }[];
    expect(staff.map((u) => u.email)).toEqual(
      expect.arrayContaining(['legal_reviewer@a.test', 'legal_admin@a.test', 'rev2@a.test']),
    );
    expect(staff.map((u) => u.email)).not.toContain('admin@a.test');
  });

  it("the outbox never shows another person's invitation or reset link, even to the owner", async () => {
    const anon = new ApiClient(server.url);
    await anon.get('/api/auth/csrf');
    await anon.post('/api/auth/password-reset/request', { email: 'legal_admin@a.test' });
    for (const role of ['admin', 'owner'] as const) {
      const messages = (await clients.get(role)!.get('/api/admin/outbox')).body.messages as {
        to: string;
        body: string | null;
      }[];
      expect(messages.some((m) => m.to === 'legal_admin@a.test')).toBe(true);
      expect(messages.filter((m) => m.to !== emails.get(role)).every((m) => m.body === null)).toBe(
        true,
      );
    }
  });

  it('legal staff without two-factor sign-in do not get into the legal console', async () => {
    const c = new ApiClient(server.url);
    expect((await c.signIn('no2fa@a.test', PASSWORD)).status).toBe(200);
    const res = await c.get('/api/legal/queue');
    expect([res.status, res.body.code]).toEqual([403, 'LEGAL_TWO_FACTOR_REQUIRED']);
    expect(noTwoFactorReviewer).toBeTruthy();
  });

  it('every state-changing route refuses a signed-in request without the CSRF header', async () => {
    for (const key of apiRoutes()) {
      const [method, url] = key.split(' ') as [string, string];
      if (method === 'GET') continue;
      // The first caller the route lets in: CSRF is checked after access.
      const row = MATRIX[key]!.row;
      const who = (['owner', 'legal_admin', 'requester'] as const).find(
        (r) => row[r] !== 401 && row[r] !== 403,
      )!;
      const client = clients.get(who)!;
      const path = url.replace(':userId', victimId).replace(':id', ownedMeetingId);
      const res = await client.request(method, path, MATRIX[key]!.body ?? {}, { csrf: false });
      expect([key, res.status, res.body?.code]).toEqual([key, 403, 'CSRF_TOKEN_INVALID']);
    }
  });

  it('a route registered without an access rule or body schema fails at start-up (deny by default)', async () => {
    const app = Fastify();
    await app.register(cookie);
    installAccessControl(app, {} as AuthService, {} as CookiePolicy);
    expect(() => app.get('/api/forgotten', async () => ({ secret: true }))).toThrow(
      /declares no config.access/,
    );
    const app2 = Fastify();
    await app2.register(cookie);
    installAccessControl(app2, {} as AuthService, {} as CookiePolicy);
    expect(() => app2.post('/not-api', async () => ({}))).toThrow(/changes state outside \/api/);
    expect(() =>
      app2.post('/api/no-schema', { config: { access: 'public' } }, async () => ({})),
    ).toThrow(/declares no body schema/);
    await app.close();
    await app2.close();
  });
});
