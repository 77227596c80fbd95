import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMeeting } from '../support/browser';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';
import { WsClient } from '../support/ws-client';

// Signaling stories against a real server over real WebSockets (no browser).
describe('signaling', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ reconnectGraceSeconds: 2 });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('a participant joins, others are told, and the list has everyone', async () => {
    const { meetingId, hostKey } = await createMeeting(server.url);
    const host = await WsClient.connect(server.url);
    const joined = await host.join(meetingId, 'Hana', { hostKey });
    expect(joined).toMatchObject({ ok: true, result: { role: 'host', resumed: false } });
    const guest = await WsClient.connect(server.url);
    const guestJoin = await guest.join(meetingId, 'Gus');
    expect(guestJoin).toMatchObject({ ok: true, result: { role: 'participant' } });
    const names = (
      guestJoin.result as { participants: { displayName: string }[] }
    ).participants.map((p) => p.displayName);
    expect(names.sort()).toEqual(['Gus', 'Hana']);
    const ev = await host.next((m) => m.type === 'participant.joined');
    expect(ev).toMatchObject({
      participant: { displayName: 'Gus', role: 'participant', connected: true },
    });
    host.close();
    guest.close();
  });

  it('bad frames get typed errors and the session and process keep working', async () => {
    const c = await WsClient.connect(server.url);
    c.sendRaw('not json');
    expect(await c.next((m) => m.type === 'response')).toMatchObject({
      ok: false,
      error: { code: 'MESSAGE_MALFORMED' },
    });
    c.sendRaw(JSON.stringify({ type: 'format.disk', id: 'a' }));
    expect(await c.next((m) => m.type === 'response')).toMatchObject({
      ok: false,
      requestId: 'a',
      error: { code: 'UNKNOWN_MESSAGE_TYPE' },
    });
    c.sendRaw(
      JSON.stringify({
        type: 'join',
        id: 'b',
        protocolVersion: 1,
        meetingId: "1'; DROP TABLE meetings;--",
        displayName: 'x',
      }),
    );
    expect(await c.next((m) => m.type === 'response')).toMatchObject({
      ok: false,
      requestId: 'b',
      error: { code: 'MESSAGE_MALFORMED' },
    });
    c.sendRaw(`${'['.repeat(5000)}${']'.repeat(5000)}`);
    expect(await c.next((m) => m.type === 'response')).toMatchObject({
      ok: false,
      error: {
        code: 'MESSAGE_MALFORMED',
        message: 'The message is nested more than 8 levels deep.',
      },
    });
    expect(await c.request({ type: 'host.end' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_JOINED' },
    });
    expect(
      await c.request({
        type: 'join',
        protocolVersion: 99,
        meetingId: '12345678901',
        displayName: 'x',
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'PROTOCOL_VERSION_UNSUPPORTED' },
    });
    expect(await c.request({ type: 'heartbeat' })).toMatchObject({ ok: true });
    // The meetings table is intact and the server still serves others.
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect((await createMeeting(server.url)).meetingId).toMatch(/^\d{11}$/);
    c.close();
  });

  it('a flood of messages gets RATE_LIMITED replies instead of being processed', async () => {
    const c = await WsClient.connect(server.url);
    for (let i = 0; i < 120; i++) c.sendRaw(JSON.stringify({ type: 'heartbeat', id: `h${i}` }));
    await new Promise((r) => setTimeout(r, 300));
    const limited = c.messages.filter(
      (m) => (m.error as { code?: string } | undefined)?.code === 'RATE_LIMITED',
    );
    expect(limited.length).toBeGreaterThan(0);
    c.close();
  });

  it('only the host can mute, remove or end, and the meeting id must exist', async () => {
    const { meetingId, hostKey } = await createMeeting(server.url);
    const host = await WsClient.connect(server.url);
    const hostId = (
      (await host.join(meetingId, 'Hana', { hostKey })).result as { participantId: string }
    ).participantId;
    const guest = await WsClient.connect(server.url);
    await guest.join(meetingId, 'Gus');
    expect(await guest.request({ type: 'host.mute', participantId: hostId })).toMatchObject({
      ok: false,
      error: { code: 'NOT_HOST' },
    });
    expect(await guest.request({ type: 'host.remove', participantId: hostId })).toMatchObject({
      ok: false,
      error: { code: 'NOT_HOST' },
    });
    expect(await guest.request({ type: 'host.end' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_HOST' },
    });
    expect(await host.request({ type: 'host.mute', participantId: 'nobody' })).toMatchObject({
      ok: false,
      error: { code: 'PARTICIPANT_NOT_FOUND' },
    });
    const wrongHostKey = await WsClient.connect(server.url);
    expect(await wrongHostKey.join(meetingId, 'Mallory', { hostKey: 'guess' })).toMatchObject({
      ok: true,
      result: { role: 'participant' },
    });
    const nowhere = await WsClient.connect(server.url);
    expect(await nowhere.join('10000000000', 'Lost')).toMatchObject({
      ok: false,
      error: { code: 'MEETING_NOT_FOUND' },
    });
    for (const c of [host, guest, wrongHostKey, nowhere]) c.close();
  });

  it('passcodes: missing and wrong are refused; the host key skips it', async () => {
    const { meetingId, hostKey } = await createMeeting(server.url, 'pass123');
    const c = await WsClient.connect(server.url);
    expect(await c.join(meetingId, 'A')).toMatchObject({
      ok: false,
      error: { code: 'PASSCODE_REQUIRED' },
    });
    expect(await c.join(meetingId, 'A', { passcode: 'wrong' })).toMatchObject({
      ok: false,
      error: { code: 'PASSCODE_WRONG' },
    });
    expect(await c.join(meetingId, 'A', { passcode: 'pass123' })).toMatchObject({ ok: true });
    const h = await WsClient.connect(server.url);
    expect(await h.join(meetingId, 'H', { hostKey })).toMatchObject({
      ok: true,
      result: { role: 'host' },
    });
    c.close();
    h.close();
  });

  it('a dropped socket resumes as the same participant within the grace period', async () => {
    const { meetingId } = await createMeeting(server.url);
    const a = await WsClient.connect(server.url);
    const first = (await a.join(meetingId, 'Ann')).result as {
      participantId: string;
      resumeToken: string;
    };
    const b = await WsClient.connect(server.url);
    await b.join(meetingId, 'Ben');
    a.terminate();
    expect(await b.next((m) => m.type === 'participant.updated')).toMatchObject({
      participant: { id: first.participantId, connected: false },
    });
    const again = await WsClient.connect(server.url);
    const resumed = await again.join(meetingId, 'Ann', { resumeToken: first.resumeToken });
    expect(resumed).toMatchObject({
      ok: true,
      result: { participantId: first.participantId, resumed: true },
    });
    expect(await b.next((m) => m.type === 'participant.updated')).toMatchObject({
      participant: { id: first.participantId, connected: true },
    });
    expect(b.messages.some((m) => m.type === 'participant.left')).toBe(false);
    again.close();
    b.close();
  });

  it('after the grace period the seat is gone: others see a timeout and the token is refused', async () => {
    const { meetingId } = await createMeeting(server.url);
    const a = await WsClient.connect(server.url);
    const first = (await a.join(meetingId, 'Ann')).result as {
      participantId: string;
      resumeToken: string;
    };
    const b = await WsClient.connect(server.url);
    await b.join(meetingId, 'Ben');
    a.terminate();
    expect(await b.next((m) => m.type === 'participant.left', 5000)).toMatchObject({
      participantId: first.participantId,
      reason: 'timeout',
    });
    const late = await WsClient.connect(server.url);
    expect(await late.join(meetingId, 'Ann', { resumeToken: first.resumeToken })).toMatchObject({
      ok: false,
      error: { code: 'RESUME_EXPIRED' },
    });
    late.close();
    b.close();
  });

  it('ending the meeting tells everyone, closes their sockets, and refuses new joins', async () => {
    const { meetingId, hostKey } = await createMeeting(server.url);
    const host = await WsClient.connect(server.url);
    await host.join(meetingId, 'Hana', { hostKey });
    const guest = await WsClient.connect(server.url);
    await guest.join(meetingId, 'Gus');
    expect(await host.request({ type: 'host.end' })).toMatchObject({ ok: true });
    await guest.next((m) => m.type === 'meeting.ended');
    await guest.closed;
    const late = await WsClient.connect(server.url);
    expect(await late.join(meetingId, 'Late')).toMatchObject({
      ok: false,
      error: { code: 'MEETING_ENDED' },
    });
    const info = await (await fetch(`${server.url}/api/meetings/${meetingId}`)).json();
    expect(info).toMatchObject({ status: 'ended' });
    late.close();
  });
});
