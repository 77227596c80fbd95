import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccountWithOwner } from '../../apps/server/src/modules/accounts/account-setup';
import { ApiClient } from '../support/api-client';
import { mailedToken } from '../support/mailbox';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

const url = process.env.CONCLAVE_TEST_POSTGRES_URL;
if (!url)
  console.warn(
    'accounts on PostgreSQL: SKIPPED (set CONCLAVE_TEST_POSTGRES_URL, e.g. postgres://postgres@127.0.0.1:5432/test)',
  );

const PASSWORD = 'correct horse battery';

// The whole server on PostgreSQL (what DATABASE_URL selects in main.ts), one story end to end.
(url ? describe : describe.skip)('accounts on PostgreSQL', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({}, { postgresUrl: url! });
    await createAccountWithOwner(server.stores, {
      name: 'PG Co',
      ownerEmail: 'owner@pg.test',
      ownerName: 'Owner',
      ownerPassword: PASSWORD,
    });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('sign in, invite by outbox, accept, search, change plan and settings, create a meeting, read the audit', async () => {
    const owner = new ApiClient(server.url);
    expect((await owner.signIn('owner@pg.test', PASSWORD)).status).toBe(200);
    await owner.post('/api/admin/users/invite', { email: 'o.brien@pg.test', role: 'member' });
    const token = await mailedToken(server, 'o.brien@pg.test');
    const member = new ApiClient(server.url);
    await member.get('/api/auth/csrf');
    expect(
      (await member.post('/api/auth/invite/accept', { token, password: PASSWORD, name: "O'Brien" }))
        .status,
    ).toBe(200);
    expect((await owner.get(`/api/admin/users?q=${encodeURIComponent("o'bri")}`)).body.total).toBe(
      1,
    );
    expect((await owner.put('/api/admin/plan', { plan: 'enterprise' })).status).toBe(200);
    expect(
      (await owner.put('/api/admin/meeting-settings', { allowE2ee: true })).body.allowE2ee,
    ).toBe(true);
    const meeting = await member.post('/api/my/meetings', { title: 'On PG' });
    expect(meeting.status).toBe(201);
    expect((await member.get('/api/my/meetings')).body.meetings[0].title).toBe('On PG');
    const actions = (await owner.get('/api/admin/audit')).body.entries.map(
      (e: { action: string }) => e.action,
    );
    expect(actions).toEqual([
      'meeting_settings.change',
      'plan.change',
      'user.invite_accepted',
      'outbox.read',
      'user.invite',
      'account.create',
    ]);
  });
});
