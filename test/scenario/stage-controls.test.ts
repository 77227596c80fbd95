import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMeeting } from '../support/browser';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';
import { WsClient } from '../support/ws-client';

// Spotlight, raised hands and reactions over real signaling (issue 17): only the host spotlights,
// one person at a time; a hand is one's own; reactions reach the room and cannot be flooded.
describe('stage controls over signaling', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  interface Updated {
    type: string;
    participant?: { id: string; spotlight?: boolean; handRaised?: boolean };
    participantId?: string;
    reaction?: string;
  }

  const as = (m: Record<string, unknown>) => m as unknown as Updated;

  async function meeting() {
    const { meetingId, hostKey } = await createMeeting(server.url);
    const host = await WsClient.connect(server.url);
    await host.join(meetingId, 'Hana', { hostKey });
    const guest = await WsClient.connect(server.url);
    const gid = ((await guest.join(meetingId, 'Gus')).result as { participantId: string })
      .participantId;
    const other = await WsClient.connect(server.url);
    const oid = ((await other.join(meetingId, 'Olga')).result as { participantId: string })
      .participantId;
    return { host, guest, other, gid, oid };
  }

  it('only the host spotlights; a new spotlight moves it; null ends it; everyone is told', async () => {
    const { host, guest, other, gid, oid } = await meeting();
    expect(await guest.request({ type: 'host.spotlight', participantId: oid })).toMatchObject({
      ok: false,
      error: { code: 'NOT_HOST' },
    });
    expect(await host.request({ type: 'host.spotlight', participantId: gid })).toMatchObject({
      ok: true,
    });
    await other.next(
      (m) =>
        as(m).type === 'participant.updated' &&
        as(m).participant?.id === gid &&
        as(m).participant?.spotlight === true,
    );
    await host.request({ type: 'host.spotlight', participantId: oid });
    await guest.next(
      (m) =>
        as(m).type === 'participant.updated' &&
        as(m).participant?.id === gid &&
        as(m).participant?.spotlight === false,
    );
    await host.request({ type: 'host.spotlight', participantId: null });
    await guest.next(
      (m) =>
        as(m).type === 'participant.updated' &&
        as(m).participant?.id === oid &&
        as(m).participant?.spotlight === false,
    );
    expect(
      await host.request({
        type: 'host.spotlight',
        participantId: '00000000-0000-4000-8000-000000000000',
      }),
    ).toMatchObject({ ok: false, error: { code: 'PARTICIPANT_NOT_FOUND' } });
    for (const c of [host, guest, other]) c.close();
  });

  it('a raised hand is seen by everyone; reactions reach the room and are rate-limited', async () => {
    const { host, guest, other, gid } = await meeting();
    expect(await guest.request({ type: 'hand.raise', raised: true })).toMatchObject({ ok: true });
    await host.next(
      (m) =>
        as(m).type === 'participant.updated' &&
        as(m).participant?.id === gid &&
        as(m).participant?.handRaised === true,
    );
    expect(await guest.request({ type: 'reaction.send', reaction: 'clap' })).toMatchObject({
      ok: true,
    });
    const r = (await other.next((m) => as(m).type === 'reaction')) as unknown as Updated;
    expect([r.participantId, r.reaction]).toEqual([gid, 'clap']);
    expect(await guest.request({ type: 'reaction.send', reaction: 'heart' })).toMatchObject({
      ok: false,
      error: { code: 'RATE_LIMITED' },
    });
    expect(await guest.request({ type: 'reaction.send', reaction: 'confetti' })).toMatchObject({
      ok: false,
    });
    for (const c of [host, guest, other]) c.close();
  });
});
