import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccountWithOwner } from '../../apps/server/src/modules/accounts/account-setup';
import { totpCodeAt } from '../../apps/server/src/modules/accounts/totp';
import { ApiClient } from '../support/api-client';
import { mailedToken } from '../support/mailbox';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

const PASSWORD = 'correct horse battery';

describe('accounts: sign-in, invites, 2FA, reset, admin console', () => {
  let server: TestServer;
  let owner: ApiClient;
  let n = 0;
  const email = (who: string) => `${who}.${++n}@acme.test`;

  const newAccount = async (plan: 'basic' | 'business' = 'basic') => {
    const ownerEmail = email('owner');
    const ids = await createAccountWithOwner(server.stores, {
      name: 'Acme',
      ownerEmail,
      ownerName: 'Olga Owner',
      ownerPassword: PASSWORD,
      plan,
    });
    const client = new ApiClient(server.url);
    expect((await client.signIn(ownerEmail, PASSWORD)).status).toBe(200);
    return { ...ids, client, ownerEmail };
  };

  /** The token in the newest link mailed to `to` (as its recipient reads it). */
  const linkTokenFor = async (_admin: ApiClient, to: string) => mailedToken(server, to);

  const invite = async (admin: ApiClient, role = 'member') => {
    const address = email(role);
    const res = await admin.post('/api/admin/users/invite', { email: address, role });
    expect(res.status).toBe(201);
    const token = await linkTokenFor(admin, address);
    const user = new ApiClient(server.url);
    await user.get('/api/auth/csrf');
    const accepted = await user.post('/api/auth/invite/accept', {
      token,
      password: PASSWORD,
      name: 'Invited Person',
    });
    expect(accepted.status).toBe(200);
    return { client: user, email: address, id: res.body.user.id as string };
  };

  beforeAll(async () => {
    // Every test signs in from 127.0.0.1; the per-address limit has its own test below.
    server = await startTestServer({
      auth: {
        sessionTtlHours: 1,
        maxFailedLogins: 5,
        lockoutMinutes: 15,
        loginAttemptsPerMinute: 1000,
      },
    });
    owner = (await newAccount()).client;
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('an owner signs in, sees who they are, and signs out', async () => {
    const me = await owner.get('/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      user: { role: 'owner', status: 'active', twoFactorEnabled: false },
      account: { plan: 'basic' },
      mustEnrollTwoFactor: false,
    });
    expect(me.body.csrfToken).toBe(owner.cookies.get('conclave_csrf'));
    const { client } = await newAccount();
    expect((await client.post('/api/auth/logout')).status).toBe(204);
    expect((await client.get('/api/auth/me')).body.code).toBe('NOT_SIGNED_IN');
  });

  it('the session cookie is HttpOnly and SameSite=Lax, and only its hash is stored', async () => {
    const res = await fetch(`${server.url}/api/auth/csrf`);
    const csrf = /conclave_csrf=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')![1]!;
    const { ownerEmail } = await newAccount();
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        cookie: `conclave_csrf=${csrf}`,
        'x-csrf-token': csrf,
      },
      body: JSON.stringify({ email: ownerEmail, password: PASSWORD }),
    });
    const cookie = login.headers.getSetCookie().find((c) => c.startsWith('conclave_session='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i); // plain HTTP in tests; TLS configs set Secure
    const token = /conclave_session=([^;]+)/.exec(cookie)![1]!;
    const rows = await server.stores.sessions.findSession(token);
    expect(rows).toBeUndefined();
  });

  it('a wrong password and an unknown address get the same answer', async () => {
    const c = new ApiClient(server.url);
    const a = await c.signIn('nobody@acme.test', PASSWORD);
    const b = await c.signIn((await newAccount()).ownerEmail, 'wrong password!!');
    expect([a.status, a.body.code]).toEqual([401, 'LOGIN_FAILED']);
    expect([b.status, b.body.code]).toEqual([401, 'LOGIN_FAILED']);
  });

  it('locks a user out after five failures, even with the right password afterwards', async () => {
    const { ownerEmail } = await newAccount();
    const c = new ApiClient(server.url);
    for (let i = 0; i < 5; i++) await c.signIn(ownerEmail, 'not the password');
    const res = await c.signIn(ownerEmail, PASSWORD);
    expect([res.status, res.body.code]).toEqual([429, 'ACCOUNT_LOCKED']);
  });

  it('an invited user accepts by the mailed link, sets a password and signs in as member', async () => {
    const m = await invite(owner);
    const me = await m.client.get('/api/auth/me');
    expect(me.body.user).toMatchObject({ role: 'member', name: 'Invited Person' });
    expect((await m.client.get('/api/admin/users')).body.code).toBe('FORBIDDEN');
    const again = new ApiClient(server.url);
    expect((await again.signIn(m.email, PASSWORD)).status).toBe(200);
  });

  it('an invite link works once', async () => {
    const address = email('twice');
    await owner.post('/api/admin/users/invite', { email: address, role: 'member' });
    const token = await linkTokenFor(owner, address);
    const c = new ApiClient(server.url);
    await c.get('/api/auth/csrf');
    expect((await c.post('/api/auth/invite/accept', { token, password: PASSWORD })).status).toBe(
      200,
    );
    const second = await c.post('/api/auth/invite/accept', { token, password: PASSWORD });
    expect([second.status, second.body.code]).toEqual([400, 'TOKEN_INVALID']);
  });

  it('two-factor: enrol, confirm with a code, then sign-in needs a code or a recovery code', async () => {
    const m = await invite(owner);
    const enrolled = await m.client.post('/api/auth/2fa/enroll');
    expect(enrolled.body.otpauthUrl).toMatch(/^otpauth:\/\/totp\//);
    const secret = enrolled.body.secret as string;
    const wrong = await m.client.post('/api/auth/2fa/verify', { code: '000000' });
    expect(wrong.body.code).toBe('TWO_FACTOR_CODE_WRONG');
    const ok = await m.client.post('/api/auth/2fa/verify', {
      code: totpCodeAt(secret, new Date()),
    });
    expect(ok.body.recoveryCodes).toHaveLength(10);
    const c = new ApiClient(server.url);
    expect((await c.signIn(m.email, PASSWORD)).body.code).toBe('TWO_FACTOR_REQUIRED');
    // The code that confirmed enrolment is spent (RFC 6238 §5.2: accept a step once).
    const replay = await c.signIn(m.email, PASSWORD, { totpCode: totpCodeAt(secret, new Date()) });
    expect(replay.body.code).toBe('TWO_FACTOR_CODE_WRONG');
    const next = totpCodeAt(secret, new Date(Date.now() + 30_000));
    expect((await c.signIn(m.email, PASSWORD, { totpCode: next })).status).toBe(200);
    expect((await c.signIn(m.email, PASSWORD, { totpCode: next })).body.code).toBe(
      'TWO_FACTOR_CODE_WRONG',
    );
    const recovery = ok.body.recoveryCodes[0] as string;
    const r1 = await new ApiClient(server.url).signIn(m.email, PASSWORD, {
      recoveryCode: recovery,
    });
    expect(r1.status).toBe(200);
    const r2 = await new ApiClient(server.url).signIn(m.email, PASSWORD, {
      recoveryCode: recovery,
    });
    expect(r2.body.code).toBe('TWO_FACTOR_CODE_WRONG');
  });

  it('password reset: the mailed link sets a new password once and ends old sessions', async () => {
    const m = await invite(owner);
    const anon = new ApiClient(server.url);
    await anon.get('/api/auth/csrf');
    const req = await anon.post('/api/auth/password-reset/request', { email: m.email });
    expect(req.status).toBe(202);
    const unknown = await anon.post('/api/auth/password-reset/request', {
      email: 'ghost@acme.test',
    });
    expect(unknown.status).toBe(202);
    const token = await linkTokenFor(owner, m.email);
    const newPassword = 'a brand new passphrase';
    const done = await anon.post('/api/auth/password-reset/complete', {
      token,
      password: newPassword,
    });
    expect(done.status).toBe(204);
    expect((await m.client.get('/api/auth/me')).status).toBe(401);
    expect((await new ApiClient(server.url).signIn(m.email, newPassword)).status).toBe(200);
    const reuse = await anon.post('/api/auth/password-reset/complete', {
      token,
      password: newPassword,
    });
    expect(reuse.body.code).toBe('TOKEN_INVALID');
  });

  it('changing the password ends the other sessions and keeps this one', async () => {
    const m = await invite(owner);
    const other = new ApiClient(server.url);
    await other.signIn(m.email, PASSWORD);
    const wrong = await m.client.post('/api/auth/password', {
      currentPassword: 'not it at all',
      newPassword: 'another long passphrase',
    });
    expect(wrong.body.code).toBe('PASSWORD_WRONG');
    const ok = await m.client.post('/api/auth/password', {
      currentPassword: PASSWORD,
      newPassword: 'another long passphrase',
    });
    expect(ok.status).toBe(204);
    expect((await m.client.get('/api/auth/me')).status).toBe(200);
    expect((await other.get('/api/auth/me')).status).toBe(401);
  });

  it('sign-out everywhere ends every session of the user', async () => {
    const m = await invite(owner);
    const second = new ApiClient(server.url);
    await second.signIn(m.email, PASSWORD);
    expect((await m.client.post('/api/auth/logout-all')).status).toBe(204);
    expect((await second.get('/api/auth/me')).status).toBe(401);
  });

  it('admins change roles and deactivate users; owners are protected; everything is audited', async () => {
    const { client: boss } = await newAccount();
    const admin = await invite(boss, 'admin');
    const member = await invite(boss, 'member');
    const search = await admin.client.get(`/api/admin/users?q=${encodeURIComponent(member.email)}`);
    expect(search.body.total).toBe(1);
    // Legal roles are the owner's or a legal admin's to grant (issue 15).
    const toLegal = await admin.client.patch(`/api/admin/users/${member.id}`, {
      role: 'legal_reviewer',
    });
    expect([toLegal.status, toLegal.body.code]).toEqual([403, 'LEGAL_ROLES_RESTRICTED']);
    const promote = await admin.client.patch(`/api/admin/users/${member.id}`, { role: 'admin' });
    expect(promote.body.user.role).toBe('admin');
    const toOwner = await admin.client.patch(`/api/admin/users/${member.id}`, { role: 'owner' });
    expect(toOwner.body.code).toBe('OWNER_ONLY');
    const self = await admin.client.post(`/api/admin/users/${admin.id}/deactivate`);
    expect(self.body.code).toBe('CANNOT_CHANGE_SELF');
    const off = await admin.client.post(`/api/admin/users/${member.id}/deactivate`);
    expect(off.body.user.status).toBe('deactivated');
    expect((await member.client.get('/api/auth/me')).status).toBe(401);
    expect((await new ApiClient(server.url).signIn(member.email, PASSWORD)).body.code).toBe(
      'LOGIN_FAILED',
    );
    const audit = await boss.get('/api/admin/audit');
    const actions = (audit.body.entries as { action: string }[]).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['user.invite', 'user.role_change', 'user.deactivate']),
    );
    expect(JSON.stringify(audit.body)).not.toMatch(/token=|argon2/);
  });

  it('an admin signs a user out everywhere and resets a lost 2FA', async () => {
    const m = await invite(owner);
    const { secret } = (await m.client.post('/api/auth/2fa/enroll')).body as { secret: string };
    await m.client.post('/api/auth/2fa/verify', { code: totpCodeAt(secret, new Date()) });
    const out = await owner.post(`/api/admin/users/${m.id}/sign-out`);
    expect(out.body.sessionsEnded).toBe(1);
    expect((await m.client.get('/api/auth/me')).status).toBe(401);
    const reset = await owner.post(`/api/admin/users/${m.id}/reset-2fa`);
    expect(reset.body.user.twoFactorEnabled).toBe(false);
    expect((await new ApiClient(server.url).signIn(m.email, PASSWORD)).status).toBe(200);
  });

  it('the outbox shows who is waiting for which mail, never a link meant for someone else', async () => {
    const { client: boss, ownerEmail } = await newAccount();
    const admin = await invite(boss, 'admin');
    const otherAdmin = await invite(boss, 'admin');
    const member = await invite(boss, 'member');
    const anon = new ApiClient(server.url);
    await anon.get('/api/auth/csrf');
    for (const to of [ownerEmail, otherAdmin.email, member.email, admin.email])
      await anon.post('/api/auth/password-reset/request', { email: to });
    type Seen = { to: string; subject: string; body: string | null }[];
    for (const [reader, self] of [
      [admin.client, admin.email],
      [boss, ownerEmail],
    ] as const) {
      const seen = (await reader.get('/api/admin/outbox')).body.messages as Seen;
      const resets = seen.filter((m) => m.subject.startsWith('Reset'));
      // Everyone's reset is listed (recipient and delivery state) ...
      expect(resets.map((m) => m.to).sort()).toEqual(
        [ownerEmail, otherAdmin.email, member.email, admin.email].sort(),
      );
      // ... but only the reader's own mail has a body: the others' links are credentials.
      for (const m of seen) expect([m.to, m.body === null]).toEqual([m.to, m.to !== self]);
      expect(seen.filter((m) => m.body?.includes('#token=')).every((m) => m.to === self)).toBe(
        true,
      );
    }
  });

  it('E2EE can be allowed only on plans that include it', async () => {
    const { client } = await newAccount('basic');
    const plan = await client.get('/api/admin/plan');
    expect(plan.body.plan).toBe('basic');
    expect(plan.body.plans.find((p: { id: string }) => p.id === 'basic').e2ee).toBe(false);
    const refused = await client.put('/api/admin/meeting-settings', { allowE2ee: true });
    expect([refused.status, refused.body.code]).toEqual([409, 'PLAN_EXCLUDES_E2EE']);
    expect((await client.put('/api/admin/plan', { plan: 'business' })).status).toBe(200);
    const allowed = await client.put('/api/admin/meeting-settings', {
      allowE2ee: true,
      unsupportedClientPolicy: 'hold',
      passcodeRequired: true,
    });
    expect(allowed.body).toMatchObject({
      allowE2ee: true,
      planIncludesE2ee: true,
      unsupportedClientPolicy: 'hold',
      passcodeRequired: true,
      waitingRoomByDefault: false,
    });
    await client.put('/api/admin/plan', { plan: 'basic' });
    expect((await client.get('/api/admin/meeting-settings')).body).toMatchObject({
      allowE2ee: false,
      planIncludesE2ee: false,
    });
    const actions = (await client.get('/api/admin/audit')).body.entries.map(
      (e: { action: string }) => e.action,
    );
    expect(actions.filter((a: string) => a === 'plan.change')).toHaveLength(2);
  });

  it('when the account requires 2FA, a user without it can only enrol', async () => {
    const { client: boss } = await newAccount();
    const m = await invite(boss);
    expect((await boss.put('/api/admin/security', { requireTwoFactor: true })).status).toBe(200);
    expect((await m.client.get('/api/auth/me')).body.mustEnrollTwoFactor).toBe(true);
    const blocked = await m.client.get('/api/my/meetings');
    expect([blocked.status, blocked.body.code]).toEqual([403, 'TWO_FACTOR_ENROLLMENT_REQUIRED']);
    const { secret } = (await m.client.post('/api/auth/2fa/enroll')).body as { secret: string };
    await m.client.post('/api/auth/2fa/verify', { code: totpCodeAt(secret, new Date()) });
    expect((await m.client.get('/api/my/meetings')).status).toBe(200);
  });

  it('signed-in users create meetings they own, list them and name co-hosts', async () => {
    const { client: boss } = await newAccount();
    const m = await invite(boss);
    const created = await boss.post('/api/my/meetings', {
      title: 'Weekly',
      startsAt: '2030-01-01T09:00:00.000Z',
    });
    expect(created.status).toBe(201);
    const id = created.body.meetingId as string;
    const co = await boss.put(`/api/my/meetings/${id}/cohosts`, { userIds: [m.id] });
    expect(co.body.cohostUserIds).toEqual([m.id]);
    const notOwner = await m.client.put(`/api/my/meetings/${id}/cohosts`, { userIds: [] });
    expect(notOwner.body.code).toBe('NOT_MEETING_OWNER');
    const mine = await m.client.get('/api/my/meetings?when=upcoming');
    expect(mine.body.meetings).toEqual([
      expect.objectContaining({ meetingId: id, title: 'Weekly', isOwner: false }),
    ]);
    await server.stores.meetings.markEnded(id as never, new Date());
    expect((await boss.get('/api/my/meetings?when=past')).body.meetings[0].meetingId).toBe(id);
    const foreign = await owner.put(`/api/my/meetings/${id}/cohosts`, { userIds: [] });
    expect(foreign.body.code).toBe('MEETING_NOT_FOUND');
  });

  it('an account that requires passcodes refuses owned meetings without one', async () => {
    const { client } = await newAccount();
    await client.put('/api/admin/meeting-settings', { passcodeRequired: true });
    const res = await client.post('/api/my/meetings', {});
    expect(res.body.code).toBe('ACCOUNT_REQUIRES_PASSCODE');
    expect((await client.post('/api/my/meetings', { passcode: 'abc123' })).status).toBe(201);
  });

  it('limits sign-in attempts per address', async () => {
    const limited = await startTestServer({
      auth: {
        sessionTtlHours: 1,
        maxFailedLogins: 5,
        lockoutMinutes: 1,
        loginAttemptsPerMinute: 3,
      },
    });
    try {
      const c = new ApiClient(limited.url);
      const codes = [];
      for (let i = 0; i < 4; i++)
        codes.push((await c.signIn(`x${i}@acme.test`, 'whatever')).status);
      expect(codes).toEqual([401, 401, 401, 429]);
    } finally {
      await limited.stop();
    }
  });

  it('behind a TLS proxy: Secure cookies, and sign-in limits per forwarded client address', async () => {
    const proxied = await startTestServer({
      publicUrl: 'https://meet.example.org',
      trustProxy: true,
      auth: {
        sessionTtlHours: 1,
        maxFailedLogins: 5,
        lockoutMinutes: 1,
        loginAttemptsPerMinute: 1,
      },
    });
    try {
      const csrf = await fetch(`${proxied.url}/api/auth/csrf`);
      expect(csrf.headers.get('set-cookie')).toMatch(/;\s*Secure/i);
      const token = /conclave_csrf=([^;]+)/.exec(csrf.headers.get('set-cookie')!)![1]!;
      const attempt = (from: string) =>
        fetch(`${proxied.url}/api/auth/login`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            cookie: `conclave_csrf=${token}`,
            'x-csrf-token': token,
            'x-forwarded-for': from,
          },
          body: JSON.stringify({ email: 'x@acme.test', password: 'whatever' }),
        }).then((r) => r.status);
      expect([await attempt('198.51.100.1'), await attempt('198.51.100.1')]).toEqual([401, 429]);
      expect(await attempt('198.51.100.2')).toBe(401);
    } finally {
      await proxied.stop();
    }
  });

  it('guest meetings still need no account and no CSRF token', async () => {
    const res = await fetch(`${server.url}/api/meetings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(201);
  });
});
