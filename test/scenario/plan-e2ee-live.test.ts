import { PLANS } from '@conclave/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccountWithOwner } from '../../apps/server/src/modules/accounts/account-setup';
import { ApiClient } from '../support/api-client';
import { joinBot, waitForView } from '../support/bots';
import type { Bot } from '../support/bots';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

// Issue 6: "after switching to business and allowing E2EE, a host in a running meeting sees the
// menu item enabled without reloading" — here with a Node bot running the real client code.
describe('the E2EE toggle follows the account plan live', () => {
  let server: TestServer;
  let admin: ApiClient;
  const bots: Bot[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    await createAccountWithOwner(server.stores, {
      name: 'Live Co',
      ownerEmail: 'owner@live.test',
      ownerName: 'Owner',
      ownerPassword: 'correct horse battery',
      plan: 'basic',
    });
    admin = new ApiClient(server.url);
    await admin.signIn('owner@live.test', 'correct horse battery');
  });
  afterAll(async () => {
    for (const b of bots) await b.room.leave();
    await server?.stop();
  });

  it('basic: unavailable; business + allowed: available at once; admin switch off: unavailable again', async () => {
    const created = await admin.post('/api/my/meetings', { title: 'Live' });
    expect(created.status).toBe(201);
    const host = await joinBot(server.url, created.body.meetingId, 'Host', created.body.hostKey);
    bots.push(host);
    const guest = await joinBot(server.url, created.body.meetingId, 'Guest');
    bots.push(guest);
    expect(host.room.role).toBe('host');
    expect(host.room.e2ee.view.meeting).toMatchObject({ available: false });
    expect(host.room.e2ee.view.meeting.unavailableReason).toMatch(/subscription/);

    expect((await admin.put('/api/admin/plan', { plan: 'business' })).status).toBe(200);
    // The plan alone does not switch E2EE on: the admin has to allow it.
    expect(host.room.e2ee.view.meeting.available).toBe(false);
    expect((await admin.put('/api/admin/meeting-settings', { allowE2ee: true })).status).toBe(200);
    await waitForView(host, (v) => v.meeting.available === true, 5_000);
    await waitForView(guest, (v) => v.meeting.available === true, 5_000);

    await admin.put('/api/admin/meeting-settings', { allowE2ee: false });
    const off = await waitForView(host, (v) => v.meeting.available === false, 5_000);
    expect(off.meeting.unavailableReason).toMatch(/admin/);

    await admin.put('/api/admin/meeting-settings', { allowE2ee: true });
    await waitForView(host, (v) => v.meeting.available === true, 5_000);
    await admin.put('/api/admin/plan', { plan: 'basic' });
    const basic = await waitForView(host, (v) => v.meeting.available === false, 5_000);
    expect(basic.meeting.unavailableReason).toMatch(/subscription/);
  });

  it('a host who joins after the change gets the new availability too', async () => {
    await admin.put('/api/admin/plan', { plan: 'enterprise' });
    await admin.put('/api/admin/meeting-settings', { allowE2ee: true });
    const created = await admin.post('/api/my/meetings', {});
    const host = await joinBot(
      server.url,
      created.body.meetingId,
      'Late host',
      created.body.hostKey,
    );
    bots.push(host);
    expect(host.room.e2ee.view.meeting.available).toBe(true);
    await host.room.e2ee.enable();
    await waitForView(host, (v) => v.local?.inGroup === true);
  });

  it("the plan's participant cap refuses one participant more", async () => {
    // PLANS is data: shrink enterprise's cap for this test (same process as the server).
    const cap = PLANS.enterprise.maxParticipants;
    PLANS.enterprise.maxParticipants = 2;
    try {
      const created = await admin.post('/api/my/meetings', {});
      const id = created.body.meetingId as string;
      bots.push(await joinBot(server.url, id, 'One', created.body.hostKey));
      bots.push(await joinBot(server.url, id, 'Two'));
      await expect(joinBot(server.url, id, 'Three')).rejects.toMatchObject({
        code: 'MEETING_FULL',
      });
    } finally {
      PLANS.enterprise.maxParticipants = cap;
    }
  });
});
