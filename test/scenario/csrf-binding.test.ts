import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CsrfTokens } from '../../apps/server/src/http/auth/csrf';
import { createAccountWithOwner } from '../../apps/server/src/modules/accounts/account-setup';
import { ApiClient } from '../support/api-client';
import { mailedToken } from '../support/mailbox';
import {
  createAgency,
  createVerifiedRequester,
  requesterClient,
  startLegalServer,
} from '../support/legal-fixtures';
import type { TestServer } from '../support/test-server';

// Signed double-submit cookie bound to the session (apps/server/src/http/auth/csrf.ts): an
// attacker who can plant cookies for our host cannot reuse a token minted for another session,
// one from before the victim signed in, or one signed with another key.

const PASSWORD = 'correct horse battery';
const DOMAIN = 'csrf.example.gov';

describe('CSRF tokens are bound to the session they were issued for', () => {
  let server: TestServer;
  let n = 0;

  const newUser = async () => {
    const email = `owner.${++n}@csrf.test`;
    await createAccountWithOwner(server.stores, {
      name: `Acme ${n}`,
      ownerEmail: email,
      ownerName: 'Olga Owner',
      ownerPassword: PASSWORD,
    });
    const client = new ApiClient(server.url);
    expect((await client.signIn(email, PASSWORD)).status).toBe(200);
    return { client, email };
  };

  const newRequester = async () => {
    const email = `agent.${++n}@${DOMAIN}`;
    const agency = await server.stores.legal.requesters.findAgencyByDomain(DOMAIN);
    const { totpSecret } = await createVerifiedRequester(server.stores.legal, agency!.id, email);
    return requesterClient(server.url, email, totpSecret);
  };

  /** A state-changing request that succeeds (201) once past the CSRF check. */
  const createMeeting = (c: ApiClient) => c.post('/api/my/meetings', {});
  /** A requester route that answers 409 (2FA already on) once past the CSRF check. */
  const portalEnroll = (c: ApiClient) => c.post('/api/legal/portal/2fa/enroll', {});

  beforeAll(async () => {
    server = await startLegalServer();
    await createAgency(server.stores.legal, DOMAIN);
  });
  afterAll(() => server.stop());

  it('a token minted for session A is refused on session B, cookie and header alike', async () => {
    const alice = await newUser();
    const bob = await newUser();
    expect((await createMeeting(bob.client)).status).toBe(201);
    bob.client.cookies.set('conclave_csrf', alice.client.cookies.get('conclave_csrf')!);
    const res = await createMeeting(bob.client);
    expect([res.status, res.body.code]).toEqual([403, 'CSRF_TOKEN_INVALID']);
    // Alice's own session still accepts it.
    expect((await createMeeting(alice.client)).status).toBe(201);
  });

  it('a token issued before sign-in is refused after it; the one the sign-in response gives works', async () => {
    const { email } = await newUser();
    const c = new ApiClient(server.url);
    const probe = await c.get('/api/auth/csrf');
    // The web app reads `signedIn` instead of asking /api/auth/me (a 401) for visitors.
    expect(probe.body.signedIn).toBe(false);
    const before = probe.body.csrfToken as string;
    const login = await c.post('/api/auth/login', { email, password: PASSWORD });
    expect(login.status).toBe(200);
    expect((await c.get('/api/auth/csrf')).body.signedIn).toBe(true);
    const after = login.body.csrfToken as string;
    expect(after).not.toBe(before);
    expect(c.cookies.get('conclave_csrf')).toBe(after);
    expect((await createMeeting(c)).status).toBe(201);
    // The attacker's fixed pre-sign-in token, planted as both cookie and header.
    c.cookies.set('conclave_csrf', before);
    const res = await createMeeting(c);
    expect([res.status, res.body.code]).toEqual([403, 'CSRF_TOKEN_INVALID']);
    // Reloading the app (GET /api/auth/me) hands out a token for the session again.
    const me = await c.get('/api/auth/me');
    expect(me.body.csrfToken).not.toBe(before);
    expect((await createMeeting(c)).status).toBe(201);
  });

  it('a forged token (right shape, HMAC under another key) and a bare random one are refused', async () => {
    const { client } = await newUser();
    const session = client.cookies.get('conclave_session')!;
    const forged = new CsrfTokens(randomBytes(32)).mint(session);
    const genuine = client.cookies.get('conclave_csrf')!;
    expect(forged).toMatch(/^[\w-]{43}\.[\w-]{43}$/);
    for (const token of [
      forged,
      `${genuine.split('.')[0]!}.${forged.split('.')[1]!}`,
      randomBytes(32).toString('base64url'), // what the naive double-submit issued
    ]) {
      client.cookies.set('conclave_csrf', token);
      const res = await createMeeting(client);
      expect([res.status, res.body.code]).toEqual([403, 'CSRF_TOKEN_INVALID']);
    }
  });

  it('signing out, or out everywhere, issues a token for no session: signing in again works without a reload', async () => {
    for (const route of ['/api/auth/logout', '/api/auth/logout-all']) {
      const { client, email } = await newUser();
      const signedIn = client.cookies.get('conclave_csrf')!;
      expect((await client.post(route)).status).toBe(204);
      const anonymous = client.cookies.get('conclave_csrf')!;
      expect(anonymous).not.toBe(signedIn);
      // no GET /api/auth/csrf in between
      const again = await client.post('/api/auth/login', { email, password: PASSWORD });
      expect(again.status).toBe(200);
      // The signed-out token does not carry over into the new session.
      client.cookies.set('conclave_csrf', anonymous);
      expect((await createMeeting(client)).body.code).toBe('CSRF_TOKEN_INVALID');
    }
  });

  it('accepting an invite signs in with a token bound to the new session', async () => {
    const owner = await newUser();
    const address = `member.${++n}@csrf.test`;
    expect(
      (await owner.client.post('/api/admin/users/invite', { email: address, role: 'member' }))
        .status,
    ).toBe(201);
    const token = await mailedToken(server, address);
    const invited = new ApiClient(server.url);
    const before = (await invited.get('/api/auth/csrf')).body.csrfToken as string;
    const accepted = await invited.post('/api/auth/invite/accept', { token, password: PASSWORD });
    expect(accepted.status).toBe(200);
    expect(accepted.body.csrfToken).not.toBe(before);
    expect(invited.cookies.get('conclave_csrf')).toBe(accepted.body.csrfToken);
    expect((await createMeeting(invited)).status).toBe(201);
  });

  it('anonymous requests allowed today still work: guest meetings without a token, sign-in with one', async () => {
    const guest = await fetch(`${server.url}/api/meetings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(guest.status).toBe(201);
    const { email } = await newUser();
    const anon = new ApiClient(server.url);
    await anon.get('/api/auth/csrf');
    expect((await anon.post('/api/auth/login', { email, password: PASSWORD })).status).toBe(200);
  });

  describe('requester portal', () => {
    it('portal sign-in issues conclave_legal_csrf for the requester session; the pre-sign-in token is refused', async () => {
      const jane = await newRequester();
      const legal = jane.cookies.get('conclave_legal_csrf');
      expect(legal).toBeDefined();
      expect((await jane.get('/api/legal/portal/me')).body.csrfToken).toBe(legal);
      expect((await portalEnroll(jane)).status).toBe(409);
      // The token she held before signing in (anonymous binding), sent in both places.
      const before = jane.cookies.get('conclave_csrf')!;
      jane.cookies.set('conclave_legal_csrf', before);
      const res = await portalEnroll(jane);
      expect([res.status, res.body.code]).toEqual([403, 'CSRF_TOKEN_INVALID']);
    });

    it("requester A's token is refused on requester B's session; a forged one too", async () => {
      const a = await newRequester();
      const b = await newRequester();
      const own = b.cookies.get('conclave_legal_csrf')!;
      b.cookies.set('conclave_legal_csrf', a.cookies.get('conclave_legal_csrf')!);
      let res = await portalEnroll(b);
      expect([res.status, res.body.code]).toEqual([403, 'CSRF_TOKEN_INVALID']);
      b.cookies.set(
        'conclave_legal_csrf',
        new CsrfTokens(randomBytes(32)).mint(b.cookies.get('conclave_legal_session')),
      );
      res = await portalEnroll(b);
      expect([res.status, res.body.code]).toEqual([403, 'CSRF_TOKEN_INVALID']);
      // A user-session token is no requester token either.
      const user = await newUser();
      b.cookies.set('conclave_legal_csrf', user.client.cookies.get('conclave_csrf')!);
      expect((await portalEnroll(b)).body.code).toBe('CSRF_TOKEN_INVALID');
      b.cookies.set('conclave_legal_csrf', own);
      expect((await portalEnroll(b)).status).toBe(409);
    });

    it('portal sign-out clears the requester token; signing in again works without a reload', async () => {
      const jane = await newRequester();
      expect((await jane.post('/api/legal/portal/logout')).status).toBe(204);
      expect(jane.cookies.has('conclave_legal_csrf')).toBe(false);
      expect(jane.cookies.has('conclave_legal_session')).toBe(false);
      // Past the CSRF check with the token she already holds: the password is what fails.
      const again = await jane.post('/api/legal/portal/login', {
        email: 'nobody@csrf.example.gov',
        password: 'not the password at all',
      });
      expect([again.status, again.body.code]).toEqual([401, 'LOGIN_FAILED']);
    });

    it('one browser signed in as a user and as a requester keeps a valid token for each', async () => {
      const { email } = await newUser();
      const both = await newRequester();
      expect((await both.post('/api/auth/login', { email, password: PASSWORD })).status).toBe(200);
      expect((await createMeeting(both)).status).toBe(201);
      expect((await portalEnroll(both)).status).toBe(409);
    });
  });
});
