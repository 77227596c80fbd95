import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccountWithOwner } from '../../apps/server/src/modules/accounts/account-setup';
import { ApiClient } from '../support/api-client';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

const PASSWORD = 'correct horse battery';

// Issue 6 "Bad input": each gets a clear 4xx with an error code, and nothing is written.
describe('accounts API: bad input', () => {
  let server: TestServer;
  let owner: ApiClient;
  let accountId: string;

  /** Rows that any of these requests could have written. */
  const snapshot = async () => ({
    users: (await server.stores.users.listUsers(accountId, { limit: 200, offset: 0 })).total,
    audit: (await server.stores.audit.list(accountId, 500)).length,
    account: await server.stores.accounts.findAccount(accountId),
  });

  beforeAll(async () => {
    server = await startTestServer();
    ({ accountId } = await createAccountWithOwner(server.stores, {
      name: 'Bad Input Co',
      ownerEmail: 'owner@bad.test',
      ownerName: 'Owner',
      ownerPassword: PASSWORD,
    }));
    owner = new ApiClient(server.url);
    await owner.signIn('owner@bad.test', PASSWORD);
  });
  afterAll(async () => {
    await server?.stop();
  });

  const cases: [string, string, string, string, number, string][] = [
    // [name, method, path, raw body, status, code]
    ['malformed JSON', 'POST', '/api/admin/users/invite', '{"email": ', 400, 'BAD_REQUEST'],
    ['JSON that is not an object', 'POST', '/api/admin/users/invite', '[1,2]', 400, 'BAD_REQUEST'],
    [
      'a number for the email',
      'POST',
      '/api/admin/users/invite',
      '{"email":5,"role":"member"}',
      400,
      'BAD_REQUEST',
    ],
    [
      'an unknown role',
      'POST',
      '/api/admin/users/invite',
      '{"email":"a@b.test","role":"god"}',
      400,
      'BAD_REQUEST',
    ],
    [
      'an extra field',
      'POST',
      '/api/admin/users/invite',
      '{"email":"a@b.test","role":"member","accountId":"x"}',
      400,
      'BAD_REQUEST',
    ],
    [
      'SQL in the email',
      'POST',
      '/api/admin/users/invite',
      `{"email":"x'); DROP TABLE users;--@b.test","role":"member"}`,
      400,
      'BAD_REQUEST',
    ],
    [
      'an oversized body',
      'POST',
      '/api/admin/users/invite',
      JSON.stringify({ email: `${'a'.repeat(70_000)}@b.test`, role: 'member' }),
      413,
      'MESSAGE_TOO_LARGE',
    ],
    [
      'a string for a boolean',
      'PUT',
      '/api/admin/meeting-settings',
      '{"allowE2ee":"yes"}',
      400,
      'BAD_REQUEST',
    ],
    [
      'an unknown policy',
      'PUT',
      '/api/admin/meeting-settings',
      '{"unsupportedClientPolicy":"ignore"}',
      400,
      'BAD_REQUEST',
    ],
    [
      'an unknown plan',
      'PUT',
      '/api/admin/plan',
      `{"plan":"platinum' OR '1'='1"}`,
      400,
      'BAD_REQUEST',
    ],
    [
      'null for the 2FA switch',
      'PUT',
      '/api/admin/security',
      '{"requireTwoFactor":null}',
      400,
      'BAD_REQUEST',
    ],
    [
      'a non-uuid user id',
      'PATCH',
      '/api/admin/users/1%20OR%201=1',
      '{"role":"admin"}',
      400,
      'BAD_REQUEST',
    ],
    [
      'a short new password',
      'POST',
      '/api/auth/password',
      '{"currentPassword":"x","newPassword":"short"}',
      400,
      'BAD_REQUEST',
    ],
    [
      'a 7-digit TOTP code',
      'POST',
      '/api/auth/2fa/verify',
      '{"code":"1234567"}',
      400,
      'BAD_REQUEST',
    ],
    [
      'a bogus invite token',
      'POST',
      '/api/auth/invite/accept',
      `{"token":"' OR 1=1 --","password":"long enough pass"}`,
      400,
      'BAD_REQUEST',
    ],
    [
      'a well-formed but unknown invite token',
      'POST',
      '/api/auth/invite/accept',
      `{"token":"${'A'.repeat(43)}","password":"long enough pass"}`,
      400,
      'TOKEN_INVALID',
    ],
    [
      'an impossible start time',
      'POST',
      '/api/my/meetings',
      '{"startsAt":"yesterday"}',
      400,
      'BAD_REQUEST',
    ],
    [
      'too many co-hosts',
      'PUT',
      '/api/my/meetings/12345678901/cohosts',
      JSON.stringify({ userIds: Array(51).fill('00000000-0000-4000-8000-000000000000') }),
      400,
      'BAD_REQUEST',
    ],
  ];

  for (const [name, method, path, raw, status, code] of cases)
    it(`${name}: ${status} ${code}, nothing written`, async () => {
      const before = await snapshot();
      const res = await owner.request(method, path, undefined, { rawBody: raw });
      expect([res.status, res.body?.code]).toEqual([status, code]);
      expect(typeof res.body?.message).toBe('string');
      expect(await snapshot()).toEqual(before);
    });

  it('SQL-looking search text is searched as text', async () => {
    for (const q of ["' OR '1'='1", '%', '_', '"; DROP TABLE users; --'])
      expect((await owner.get(`/api/admin/users?q=${encodeURIComponent(q)}`)).body).toEqual({
        users: [],
        total: 0,
      });
    expect((await owner.get('/api/admin/users?limit=abc')).body.code).toBe('BAD_REQUEST');
    expect((await owner.get('/api/admin/users?limit=100000')).body.code).toBe('BAD_REQUEST');
    expect((await owner.get('/api/admin/users?sort=email')).body.code).toBe('BAD_REQUEST');
  });

  it('a POST without the CSRF header is refused and writes nothing', async () => {
    const before = await snapshot();
    const res = await owner.request(
      'POST',
      '/api/admin/users/invite',
      { email: 'csrf@bad.test', role: 'member' },
      { csrf: false },
    );
    expect([res.status, res.body.code]).toEqual([403, 'CSRF_TOKEN_INVALID']);
    const forged = await fetch(`${server.url}/api/admin/plan`, {
      method: 'PUT',
      headers: {
        'content-type': 'application/json',
        cookie: `conclave_session=${owner.cookies.get('conclave_session')}`,
        'x-csrf-token': 'guessed-guessed-guessed-guessed-guessed-gue',
      },
      body: '{"plan":"enterprise"}',
    });
    expect(forged.status).toBe(403);
    expect(await snapshot()).toEqual(before);
  });

  it('a sign-in with a missing CSRF token is refused before the password is checked', async () => {
    const c = new ApiClient(server.url);
    const res = await c.post('/api/auth/login', { email: 'owner@bad.test', password: 'wrong' });
    expect([res.status, res.body.code]).toEqual([403, 'CSRF_TOKEN_INVALID']);
    expect((await server.stores.users.findUserByEmail('owner@bad.test'))?.failedLogins).toBe(0);
  });
});
