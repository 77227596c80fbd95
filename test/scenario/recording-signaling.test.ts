import type { RecordingState } from '@conclave/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccountWithOwner } from '../../apps/server/src/modules/accounts/account-setup';
import { ApiClient } from '../support/api-client';
import { joinBot } from '../support/bots';
import type { Bot } from '../support/bots';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

// Who may record, over signaling with the real client code (issue 20): only hosts start and stop
// the cloud recording, only where plan and admin allow it, never under E2EE (turning E2EE on
// stops it with a notice to everyone); participants record locally only when the host allows,
// and everyone is told who records.
describe('recording rules over signaling', () => {
  let server: TestServer;
  let owner: ApiClient;
  let accountId: string;
  const bots: Bot[] = [];
  const states = new Map<Bot, { state: RecordingState; notice: string | null }[]>();
  const join = async (
    meeting: { meetingId: string; hostKey: string },
    name: string,
    host = false,
  ) => {
    const bot = await joinBot(
      server.url,
      meeting.meetingId,
      name,
      host ? meeting.hostKey : undefined,
    );
    const list: { state: RecordingState; notice: string | null }[] = [];
    bot.room.on('recording', (s) => list.push(s));
    states.set(bot, list);
    bots.push(bot);
    return bot;
  };
  const last = (b: Bot) =>
    states.get(b)!.at(-1) ??
    (b.room.recording ? { state: b.room.recording, notice: null } : undefined);
  const until = async (b: Bot, check: (s: RecordingState) => boolean) => {
    await expect
      .poll(() => (last(b) ? check(last(b)!.state) : false), { timeout: 5000 })
      .toBe(true);
    return last(b)!;
  };

  beforeAll(async () => {
    server = await startTestServer();
    ({ accountId } = await createAccountWithOwner(server.stores, {
      name: 'Rec Co',
      ownerEmail: 'owner@rec.test',
      ownerName: 'Owner',
      ownerPassword: 'correct horse battery',
      plan: 'business',
    }));
    owner = new ApiClient(server.url);
    await owner.signIn('owner@rec.test', 'correct horse battery');
  });
  afterAll(async () => {
    for (const b of bots) await b.room.leave().catch(() => undefined);
    await server?.stop();
  });

  it('a guest meeting cannot be cloud-recorded; it says why', async () => {
    const meeting = (await owner.post('/api/meetings', {})).body as {
      meetingId: string;
      hostKey: string;
    };
    const host = await join(meeting, 'Guest host', true);
    expect(last(host)!.state.cloud).toMatchObject({ available: false, on: false });
    await expect(host.room.setCloudRecording(true)).rejects.toMatchObject({
      code: 'RECORDING_UNAVAILABLE',
    });
  });

  it('the admin switch reaches a running meeting; only a host starts; everyone is told; E2EE stops it with a notice', async () => {
    const meeting = (await owner.post('/api/my/meetings', { title: 'Rules' })).body as {
      meetingId: string;
      hostKey: string;
    };
    await owner.put('/api/admin/meeting-settings', { allowE2ee: true });
    const host = await join(meeting, 'Host', true);
    const pat = await join(meeting, 'Pat');
    expect(last(host)!.state.cloud.unavailableReason).toMatch(/admin has not allowed/);
    expect(
      (await owner.put('/api/admin/recording-settings', { allowCloudRecording: true })).status,
    ).toBe(200);
    await until(host, (s) => s.cloud.available);

    await expect(pat.room.setCloudRecording(true)).rejects.toMatchObject({ code: 'NOT_HOST' });
    await host.room.setCloudRecording(true);
    const on = await until(pat, (s) => s.cloud.on);
    expect(on.state.cloud.startedBy?.name).toBe('Host');
    await expect(pat.room.setCloudRecording(false)).rejects.toMatchObject({ code: 'NOT_HOST' });

    await host.room.e2ee.enable();
    const off = await until(pat, (s) => !s.cloud.on);
    expect(off.notice).toMatch(/Cloud recording stopped: end-to-end encryption/);
    await expect(host.room.setCloudRecording(true)).rejects.toMatchObject({
      code: 'E2EE_FEATURE_UNAVAILABLE',
    });
    const rows = await server.stores.recordings.listForAccount(accountId);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.stopReason).toBe('End-to-end encryption was turned on.');
  });

  it('ending the meeting for all finishes a recording in progress and hands it to composition', async () => {
    const meeting = (await owner.post('/api/my/meetings', {})).body as {
      meetingId: string;
      hostKey: string;
    };
    const host = await join(meeting, 'Host 3', true);
    await join(meeting, 'Pat 3');
    await host.room.setCloudRecording(true);
    // The server closes everyone's connection as it ends the meeting (the reply may not arrive).
    await host.room.endForAll().catch(() => undefined);
    const find = async () =>
      (await server.stores.recordings.listForAccount(accountId)).find(
        (r) => r.meetingId === meeting.meetingId,
      );
    await expect.poll(async () => (await find())?.status, { timeout: 20_000 }).toBe('ready');
    const row = await find();
    expect(row).toMatchObject({ status: 'ready', interrupted: false, stopReason: null });
    expect(row!.endedAt).not.toBeNull();
  });

  it('local recording: only with the host’s permission; everyone sees who; withdrawing permission stops it', async () => {
    const meeting = (await owner.post('/api/my/meetings', {})).body as {
      meetingId: string;
      hostKey: string;
    };
    const host = await join(meeting, 'Host 2', true);
    const pat = await join(meeting, 'Pat 2');
    await expect(pat.room.setLocalRecording(true)).rejects.toMatchObject({
      code: 'RECORDING_NOT_ALLOWED',
    });
    await expect(pat.room.allowLocalRecording(true)).rejects.toMatchObject({ code: 'NOT_HOST' });
    await host.room.allowLocalRecording(true);
    await until(pat, (s) => s.localAllowed);
    await pat.room.setLocalRecording(true);
    const seen = await until(host, (s) => s.local.length === 1);
    expect(seen.state.local[0]!.name).toBe('Pat 2');
    await host.room.setLocalRecording(true);
    await until(pat, (s) => s.local.length === 2);
    await host.room.allowLocalRecording(false);
    // The host keeps theirs; Pat's client sees itself dropped and stops.
    const after = await until(pat, (s) => s.local.length === 1);
    expect(after.state.local[0]!.name).toBe('Host 2');
    await pat.room.leave();
    await host.room.setLocalRecording(false);
    await until(host, (s) => s.local.length === 0);
  });
});
