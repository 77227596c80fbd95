import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMeeting } from '../support/browser';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';
import { WsClient } from '../support/ws-client';

describe('resources', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ reconnectGraceSeconds: 1 });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('20 join/leave cycles (leave, drop, removal) leave no room, transport or socket behind', async () => {
    const { meetingId, hostKey } = await createMeeting(server.url);
    const host = await WsClient.connect(server.url);
    await host.join(meetingId, 'Hana', { hostKey });
    for (let i = 0; i < 20; i++) {
      const c = await WsClient.connect(server.url);
      const joined = (await c.join(meetingId, `Guest ${i}`)).result as { participantId: string };
      if (i % 3 === 0) expect(await c.request({ type: 'leave' })).toMatchObject({ ok: true });
      else if (i % 3 === 1)
        expect(
          await host.request({ type: 'host.remove', participantId: joined.participantId }),
        ).toMatchObject({ ok: true });
      else c.terminate();
      c.close();
    }
    await new Promise((r) => setTimeout(r, 1500)); // the dropped ones' grace period
    const during = await server.workers[0]!.dump();
    expect(during).toMatchObject({ routers: 1, transports: 1, producers: 0, consumers: 0 });
    await host.request({ type: 'leave' });
    host.close();
    await new Promise((r) => setTimeout(r, 300));
    expect(server.rooms.roomCount).toBe(0);
    expect(await server.workers[0]!.dump()).toEqual({
      routers: 0,
      transports: 0,
      producers: 0,
      consumers: 0,
      taps: 0,
      peerConnections: 0,
      udpSockets: 0,
      // drop counters only grow; nothing the clients sent was forged or broken
      srtpDrops: expect.objectContaining({ malformed: 0, authFailed: 0 }),
      rtpReceivePath: expect.any(Object),
      // media sockets read natively (Linux): none left open, nothing truncated or failed
      nativeReceive: expect.objectContaining({ sockets: 0, truncated: 0, errors: 0 }),
      // media sockets sent on natively: every dup closed, nothing refused
      nativeSend: expect.objectContaining({ sockets: 0, dropped: 0 }),
    });
    expect(server.signaling.connectionCount).toBe(0);
  });
});
