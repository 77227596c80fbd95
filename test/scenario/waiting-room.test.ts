import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccountWithOwner } from '../../apps/server/src/modules/accounts/account-setup';
import { ApiClient } from '../support/api-client';
import { createMeeting } from '../support/browser';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';
import { WsClient } from '../support/ws-client';

// The account setting "waiting room on by default": everyone but the host waits, with no media
// and no chat, until the host lets them in.
describe('waiting room', () => {
  let server: TestServer;
  let admin: ApiClient;

  beforeAll(async () => {
    server = await startTestServer();
    await createAccountWithOwner(server.stores, {
      name: 'Clinic',
      ownerEmail: 'owner@clinic.test',
      ownerName: 'Olga',
      ownerPassword: 'owner password 123',
      plan: 'business',
    });
    admin = new ApiClient(server.url);
    expect((await admin.signIn('owner@clinic.test', 'owner password 123')).status).toBe(200);
  });
  afterAll(async () => {
    await server?.stop();
  });

  const accountMeeting = async () => {
    const res = await admin.post('/api/my/meetings', {});
    expect(res.status).toBe(201);
    return res.body as { meetingId: string; hostKey: string };
  };

  it('with the setting on, a guest waits without media or chat until the host lets them in', async () => {
    const set = await admin.put('/api/admin/meeting-settings', { waitingRoomByDefault: true });
    expect(set.body).toMatchObject({ waitingRoomByDefault: true });
    const { meetingId, hostKey } = await accountMeeting();
    const host = await WsClient.connect(server.url);
    expect(await host.join(meetingId, 'Olga', { hostKey })).toMatchObject({
      ok: true,
      result: { role: 'host', held: false },
    });
    const guest = await WsClient.connect(server.url);
    const joined = await guest.join(meetingId, 'Gus');
    expect(joined).toMatchObject({ ok: true, result: { role: 'participant', held: true } });
    const guestId = (joined.result as { participantId: string }).participantId;
    expect(await host.next((m) => m.type === 'participant.joined')).toMatchObject({
      participant: { displayName: 'Gus', held: true, waiting: true },
    });
    // no chat from the waiting room, and nobody but the host lets people in
    expect(await guest.request({ type: 'chat.send', text: 'hello?', to: null })).toMatchObject({
      ok: false,
      error: { code: 'CHAT_DISABLED' },
    });
    expect(await guest.request({ type: 'host.admit', participantId: guestId })).toMatchObject({
      ok: false,
      error: { code: 'NOT_HOST' },
    });

    expect(await host.request({ type: 'host.admit', participantId: guestId })).toMatchObject({
      ok: true,
    });
    expect(
      await guest.next(
        (m) =>
          m.type === 'participant.updated' &&
          (m.participant as { id: string }).id === guestId &&
          (m.participant as { held: boolean }).held === false,
      ),
    ).toMatchObject({ participant: { waiting: false } });
    expect(await guest.request({ type: 'chat.send', text: 'in now', to: null })).toMatchObject({
      ok: true,
    });
    // letting in someone who is not waiting is an error, not a silent no-op
    expect(await host.request({ type: 'host.admit', participantId: guestId })).toMatchObject({
      ok: false,
      error: { code: 'PARTICIPANT_NOT_FOUND' },
    });
    host.close();
    guest.close();
  });

  it('with the setting off, and in guest meetings, people join straight in', async () => {
    await admin.put('/api/admin/meeting-settings', { waitingRoomByDefault: false });
    for (const { meetingId, hostKey } of [
      await accountMeeting(),
      await createMeeting(server.url),
    ]) {
      const host = await WsClient.connect(server.url);
      await host.join(meetingId, 'Olga', { hostKey });
      const guest = await WsClient.connect(server.url);
      expect(await guest.join(meetingId, 'Gus')).toMatchObject({
        ok: true,
        result: { held: false },
      });
      host.close();
      guest.close();
    }
  });
});
