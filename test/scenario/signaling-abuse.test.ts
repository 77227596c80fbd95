import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMeeting } from '../support/browser';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';
import { WsClient } from '../support/ws-client';

// What an attacker without a passcode can do to the signaling endpoint, and what stops them
// (issue 15: passcode guessing, oversized and deeply nested frames, idle anonymous sockets).
describe('signaling under abuse', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({
      signaling: {
        joinTimeoutSeconds: 1,
        maxUnjoinedPerAddress: 4,
        messagesPerSecond: 50,
        preJoinMessagesPerSecond: 10,
        preJoinMaxBytes: 16 * 1024,
      },
    });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('wrong passcodes from one address hit growing delays with a retry-after', async () => {
    const { meetingId } = await createMeeting(server.url, 'right123');
    const answers: Record<string, unknown>[] = [];
    for (let i = 0; i < 7; i++) {
      const c = await WsClient.connect(server.url);
      answers.push(await c.join(meetingId, 'Mallory', { passcode: `guess${i}0` }));
      c.close();
      await c.closed;
    }
    const codes = answers.map((a) => (a.error as { code: string }).code);
    expect(codes.slice(0, 5)).toEqual(Array(5).fill('PASSCODE_WRONG'));
    expect(answers[5]).toMatchObject({ error: { code: 'PASSCODE_WRONG', retryAfterSeconds: 1 } });
    expect(answers[6]).toMatchObject({
      error: { code: 'PASSCODE_ATTEMPTS_EXCEEDED', retryAfterSeconds: 1 },
    });
    // Even the right passcode waits until the delay is over, then gets in.
    const honest = await WsClient.connect(server.url);
    expect(await honest.join(meetingId, 'Pat', { passcode: 'right123' })).toMatchObject({
      error: { code: 'PASSCODE_ATTEMPTS_EXCEEDED' },
    });
    honest.close();
    await new Promise((r) => setTimeout(r, 1100));
    const again = await WsClient.connect(server.url);
    expect(await again.join(meetingId, 'Pat', { passcode: 'right123' })).toMatchObject({
      ok: true,
    });
    again.close();
  });

  it('a connection that does not join within the join timeout is closed; a joined one stays', async () => {
    const { meetingId } = await createMeeting(server.url);
    const idle = await WsClient.connect(server.url);
    const joined = await WsClient.connect(server.url);
    await joined.join(meetingId, 'Jo');
    expect(await idle.closed).toMatchObject({ code: 1008 });
    expect(await joined.request({ type: 'heartbeat' })).toMatchObject({ ok: true });
    joined.close();
  });

  it('one address may hold only a few connections that have not joined; more are refused before the upgrade', async () => {
    const open = await Promise.all(Array.from({ length: 4 }, () => WsClient.connect(server.url)));
    const refused = await new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/ws`);
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => reject(new Error('a fifth unjoined connection was accepted')));
    });
    expect(refused).toBe(429);
    // Joining frees the slot.
    const { meetingId } = await createMeeting(server.url);
    await open[0]!.join(meetingId, 'Ann');
    const fifth = await WsClient.connect(server.url);
    for (const c of [...open, fifth]) c.close();
    await Promise.all([...open, fifth].map((c) => c.closed));
  });

  it('a large frame before joining closes the connection (1009) at its length header, unread', async () => {
    const c = await WsClient.connect(server.url);
    c.sendRaw(Buffer.alloc(200_000, 0x7b));
    expect(await c.closed).toMatchObject({ code: 1009 });
    // Refused by the socket before the payload was read: no reply was ever computed.
    expect(c.messages).toEqual([]);
  });

  it('a joined participant still gets a typed error for an oversized frame and stays', async () => {
    const { meetingId } = await createMeeting(server.url);
    const c = await WsClient.connect(server.url);
    await c.join(meetingId, 'Big');
    c.sendRaw(Buffer.alloc(1_100_000, 0x7b));
    expect(await c.next((m) => m.type === 'response')).toMatchObject({
      error: { code: 'MESSAGE_TOO_LARGE' },
    });
    expect(await c.request({ type: 'heartbeat' })).toMatchObject({ ok: true });
    c.close();
  });

  it('a socket flooding four times its rate is closed (1008)', async () => {
    const c = await WsClient.connect(server.url);
    for (let i = 0; i < 60; i++) c.sendRaw(JSON.stringify({ type: 'heartbeat', id: `h${i}` }));
    expect(await c.closed).toMatchObject({ code: 1008 });
    const replies = c.messages.filter((m) => m.type === 'response');
    expect(replies.length).toBeLessThanOrEqual(41);
  });

  it('an address that keeps sending oversized frames must wait: its new connections are cut at accept', async () => {
    // Two closures for abuse are free (the oversized frame and the flood above); the third
    // costs a wait.
    const c = await WsClient.connect(server.url);
    c.sendRaw(Buffer.alloc(100_000, 0x7b));
    await c.closed;
    await new Promise((r) => setTimeout(r, 50));
    await expect(WsClient.connect(server.url)).rejects.toThrow(/socket hang up|ECONNRESET/);
  });
});

describe('signaling abuse behind a reverse proxy', () => {
  it('an abusive client (by X-Forwarded-For) gets 429 with Retry-After; others still connect', async () => {
    const server = await startTestServer({ trustProxy: true });
    const ws = `${server.url.replace(/^http/, 'ws')}/ws`;
    const from = (ip: string) =>
      new Promise<{ status: number; retryAfter?: string; body?: string }>((resolve) => {
        const socket = new WebSocket(ws, { headers: { 'x-forwarded-for': ip } });
        socket.on('open', () => {
          resolve({ status: 101 });
          socket.send(Buffer.alloc(100_000, 0x7b));
        });
        socket.on('unexpected-response', (_req, res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d.toString()));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              retryAfter: String(res.headers['retry-after']),
              body,
            }),
          );
        });
        socket.on('error', () => {});
      });
    try {
      for (let i = 0; i < 3; i++) {
        expect((await from('203.0.113.9')).status).toBe(101);
        await new Promise((r) => setTimeout(r, 100)); // the oversized frame closes it
      }
      const refused = await from('203.0.113.9');
      expect(refused.status).toBe(429);
      expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(JSON.parse(refused.body!)).toMatchObject({
        code: 'RATE_LIMITED',
        retryAfterSeconds: Number(refused.retryAfter),
      });
      // The proxy's own address is never cut: another client behind it connects.
      expect((await from('198.51.100.4')).status).toBe(101);
    } finally {
      await server.stop();
    }
  });
});
