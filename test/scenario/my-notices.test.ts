import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccountWithOwner } from '../../apps/server/src/modules/accounts/account-setup';
import { ApiClient } from '../support/api-client';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

const PASSWORD = 'correct horse battery';

describe('in-app notices: the recipient marks them read', () => {
  let server: TestServer;
  let alice: ApiClient;
  let bob: ApiClient;
  let aliceNotice: string;
  let bobNotice: string;

  beforeAll(async () => {
    server = await startTestServer();
    const ids: Record<string, string> = {};
    for (const name of ['alice', 'bob']) {
      ids[name] = (
        await createAccountWithOwner(server.stores, {
          name,
          ownerEmail: `${name}@notices.test`,
          ownerName: name,
          ownerPassword: PASSWORD,
        })
      ).ownerId;
    }
    const notice = (userId: string, createdAt: Date) => ({
      id: randomUUID(),
      userId,
      kind: 'government_request',
      title: 'A government request for data about your account',
      body: 'We received a request.',
      createdAt,
      readAt: null,
    });
    const a = notice(ids.alice!, new Date('2026-03-01T10:00:00Z'));
    const b = notice(ids.bob!, new Date('2026-03-01T11:00:00Z'));
    await server.stores.legal.notices.insertUserNotice(a);
    await server.stores.legal.notices.insertUserNotice(b);
    aliceNotice = a.id;
    bobNotice = b.id;
    alice = new ApiClient(server.url);
    bob = new ApiClient(server.url);
    expect((await alice.signIn('alice@notices.test', PASSWORD)).status).toBe(200);
    expect((await bob.signIn('bob@notices.test', PASSWORD)).status).toBe(200);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('a notice is listed unread, and marking it read shows readAt in the list; again keeps the first time', async () => {
    const before = await alice.get('/api/my/notices');
    expect(before.body.notices).toEqual([
      expect.objectContaining({ id: aliceNotice, readAt: null }),
    ]);
    expect(before.body.notices[0]).not.toHaveProperty('userId');

    const read = await alice.post(`/api/my/notices/${aliceNotice}/read`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual({ id: aliceNotice, readAt: expect.any(String) });
    const after = await alice.get('/api/my/notices');
    expect(after.body.notices[0].readAt).toBe(read.body.readAt);

    await new Promise((r) => setTimeout(r, 5));
    const again = await alice.post(`/api/my/notices/${aliceNotice}/read`);
    expect(again.body.readAt).toBe(read.body.readAt);
  });

  it("someone else's notice is 404, as if it did not exist, and stays unread", async () => {
    const res = await alice.post(`/api/my/notices/${bobNotice}/read`);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('NOTICE_NOT_FOUND');
    const unknown = await alice.post(`/api/my/notices/${randomUUID()}/read`);
    expect(unknown).toEqual({ status: 404, body: res.body });
    expect((await bob.get('/api/my/notices')).body.notices[0].readAt).toBeNull();
  });

  it('an id that is not a UUID is a 400 naming the field; no CSRF header is a 403; signed out is 401', async () => {
    const bad = await alice.post('/api/my/notices/not-an-id/read');
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('BAD_REQUEST');
    expect(bad.body.message).toMatch(/id/);
    const noCsrf = await bob.request('POST', `/api/my/notices/${bobNotice}/read`, undefined, {
      csrf: false,
    });
    expect(noCsrf.body.code).toBe('CSRF_TOKEN_INVALID');
    const anonymous = new ApiClient(server.url);
    await anonymous.get('/api/auth/csrf');
    expect((await anonymous.post(`/api/my/notices/${bobNotice}/read`)).status).toBe(401);
    expect((await bob.get('/api/my/notices')).body.notices[0].readAt).toBeNull();
  });
});
