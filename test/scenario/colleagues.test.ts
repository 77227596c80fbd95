import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccountWithOwner } from '../../apps/server/src/modules/accounts/account-setup';
import { ApiClient } from '../support/api-client';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

const PASSWORD = 'owner password 123';

// Naming co-hosts: a user picks among the active people of their own account only.
describe('colleagues for co-hosts', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  const owner = async (account: string) => {
    await createAccountWithOwner(server.stores, {
      name: account,
      ownerEmail: `owner@${account}.test`,
      ownerName: `${account} owner`,
      ownerPassword: PASSWORD,
      plan: 'business',
    });
    const client = new ApiClient(server.url);
    expect((await client.signIn(`owner@${account}.test`, PASSWORD)).status).toBe(200);
    return client;
  };

  it('lists active users of the same account, never the caller, deactivated users or other accounts', async () => {
    const acme = await owner('acme');
    await owner('globex');
    const bob = await acme.post('/api/admin/users/invite', {
      email: 'bob@acme.test',
      role: 'member',
    });
    const eve = await acme.post('/api/admin/users/invite', {
      email: 'eve@acme.test',
      role: 'member',
    });
    // invited users are not active until they accept
    expect((await acme.get('/api/my/colleagues')).body).toEqual({ colleagues: [] });
    for (const u of [bob, eve])
      await server.stores.users.updateUser(u.body.user.id as string, { status: 'active' });
    await acme.post(`/api/admin/users/${eve.body.user.id as string}/deactivate`);
    const { body } = await acme.get('/api/my/colleagues');
    expect(body.colleagues.map((c: { email: string }) => c.email)).toEqual(['bob@acme.test']);
    expect(Object.keys(body.colleagues[0] as object).sort()).toEqual(['email', 'id', 'name']);
    // a colleague can be named co-host of the owner's meeting
    const meeting = await acme.post('/api/my/meetings', {});
    const set = await acme.put(`/api/my/meetings/${meeting.body.meetingId as string}/cohosts`, {
      userIds: [bob.body.user.id],
    });
    expect(set.body).toEqual({ cohostUserIds: [bob.body.user.id] });
  });
});
