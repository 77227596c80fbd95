import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccountWithOwner } from '../../apps/server/src/modules/accounts/account-setup';
import { ApiClient } from '../support/api-client';
import { joinBot } from '../support/bots';
import type { Bot } from '../support/bots';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

// Guest meetings have no plan and no account admin: the operator decides for them
// (config `meetings.guestCreation`, `meetings.guestE2ee`; DESIGN.md §4.1 rule 2).
const PASSWORD = 'correct horse battery';
const bots: Bot[] = [];
afterAll(async () => {
  for (const b of bots) await b.room.leave().catch(() => undefined);
});

async function ownerOf(server: TestServer, email: string): Promise<ApiClient> {
  await createAccountWithOwner(server.stores, {
    name: email,
    ownerEmail: email,
    ownerName: 'Owner',
    ownerPassword: PASSWORD,
    plan: 'enterprise',
  });
  const owner = new ApiClient(server.url);
  expect((await owner.signIn(email, PASSWORD)).status).toBe(200);
  return owner;
}

describe('meetings.guestE2ee off: the operator does not allow E2EE in guest meetings', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ meetings: { guestCreation: true, guestE2ee: false } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('the public guest policy says so', async () => {
    const res = await new ApiClient(server.url).get('/api/guest-policy');
    expect(res).toEqual({ status: 200, body: { guestCreation: true, guestE2ee: false } });
  });

  it('the host of a guest meeting sees E2EE unavailable with the true reason, and turning it on is refused', async () => {
    // The creator's own switch no longer decides.
    const created = await new ApiClient(server.url).post('/api/meetings', {
      settings: { e2eeAllowed: true },
    });
    expect(created.status).toBe(201);
    const host = await joinBot(server.url, created.body.meetingId, 'Host', created.body.hostKey);
    bots.push(host);
    expect(host.room.role).toBe('host');
    expect(host.room.e2ee.view.meeting).toMatchObject({
      available: false,
      unavailableReason:
        'End-to-end encryption is not available for meetings without an account on this server.',
    });
    await expect(host.room.e2ee.enable()).rejects.toMatchObject({
      code: 'E2EE_NOT_AVAILABLE',
      message: expect.stringMatching(/meetings without an account on this server/),
    });
    expect(host.room.e2ee.view.meeting.status).toBe('off');
  });

  it('account meetings still follow their plan and admin: E2EE available', async () => {
    const owner = await ownerOf(server, 'owner@e2ee.test');
    expect((await owner.put('/api/admin/meeting-settings', { allowE2ee: true })).status).toBe(200);
    const created = await owner.post('/api/my/meetings', {});
    const host = await joinBot(server.url, created.body.meetingId, 'Host', created.body.hostKey);
    bots.push(host);
    expect(host.room.e2ee.view.meeting.available).toBe(true);
  });
});

describe('meetings.guestCreation off: only signed-in users create meetings', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ meetings: { guestCreation: false, guestE2ee: true } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('creating a meeting without signing in is refused with a typed error', async () => {
    const anonymous = new ApiClient(server.url);
    expect((await anonymous.get('/api/guest-policy')).body).toEqual({
      guestCreation: false,
      guestE2ee: true,
    });
    const res = await anonymous.post('/api/meetings', {});
    expect(res.status).toBe(403);
    expect(res.body).toEqual({
      code: 'GUEST_MEETINGS_DISABLED',
      message: expect.stringMatching(/Sign in to create a meeting/),
    });
  });

  it('a signed-in user creates account meetings, and guests still join them by link', async () => {
    const owner = await ownerOf(server, 'owner@creation.test');
    // The guest route makes only accountless meetings, so it stays closed for signed-in callers.
    expect((await owner.post('/api/meetings', {})).body.code).toBe('GUEST_MEETINGS_DISABLED');
    const created = await owner.post('/api/my/meetings', { title: 'Signed in' });
    expect(created.status).toBe(201);
    const info = await new ApiClient(server.url).get(`/api/meetings/${created.body.meetingId}`);
    expect(info.body.status).toBe('open');
    const host = await joinBot(server.url, created.body.meetingId, 'Host', created.body.hostKey);
    bots.push(host);
    const guest = await joinBot(server.url, created.body.meetingId, 'Guest without account');
    bots.push(guest);
    expect(guest.room.role).toBe('participant');
  });
});
