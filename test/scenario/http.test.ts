import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';
import { WsClient } from '../support/ws-client';

describe('HTTP API', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  const post = (body: string, type = 'application/json') =>
    fetch(`${server.url}/api/meetings`, {
      method: 'POST',
      headers: { 'content-type': type },
      body,
    });

  it('creates a meeting with an 11-digit id and an invite link, and looks it up', async () => {
    const res = await post('{}');
    expect(res.status).toBe(201);
    const created = (await res.json()) as {
      meetingId: string;
      joinUrl: string;
      hostKey: string;
      requiresPasscode: boolean;
    };
    expect(created.meetingId).toMatch(/^[1-9]\d{10}$/);
    expect(created.joinUrl).toBe(`http://localhost:${server.port}/m/${created.meetingId}`);
    expect(created.hostKey.length).toBeGreaterThanOrEqual(40);
    const info = await fetch(`${server.url}/api/meetings/${created.meetingId}`);
    expect(await info.json()).toEqual({
      meetingId: created.meetingId,
      requiresPasscode: false,
      status: 'open',
    });
  });

  it('accepts an id typed with spaces', async () => {
    const created = (await (await post('{"passcode":"abc123"}')).json()) as { meetingId: string };
    const spaced = `${created.meetingId.slice(0, 3)} ${created.meetingId.slice(3, 7)} ${created.meetingId.slice(7)}`;
    const info = await fetch(`${server.url}/api/meetings/${encodeURIComponent(spaced)}`);
    expect(await info.json()).toMatchObject({ requiresPasscode: true });
  });

  it('bad bodies get a 4xx with an error code and create nothing', async () => {
    const cases: [string, string, number, string][] = [
      ['{bad json', 'application/json', 400, 'BAD_REQUEST'],
      ['{"passcode": 12}', 'application/json', 400, 'BAD_REQUEST'],
      ['{"passcode": "has space"}', 'application/json', 400, 'BAD_REQUEST'],
      ['{"passcode": "abc123", "admin": true}', 'application/json', 400, 'BAD_REQUEST'],
      ['{"passcode": "12345"}', 'application/json', 400, 'BAD_REQUEST'],
      [
        JSON.stringify({ passcode: 'a'.repeat(100_000) }),
        'application/json',
        413,
        'MESSAGE_TOO_LARGE',
      ],
      ['passcode=abc', 'text/plain', 400, 'BAD_REQUEST'],
      ['<x/>', 'application/xml', 415, 'BAD_REQUEST'],
    ];
    const db = new Database(join(server.dataDir, 'conclave.sqlite'), { readonly: true });
    const count = () => (db.prepare('select count(*) as n from meetings').get() as { n: number }).n;
    const before = count();
    for (const [body, type, status, code] of cases) {
      const res = await post(body, type);
      expect(res.status, body.slice(0, 30)).toBe(status);
      expect(await res.json()).toMatchObject({ code });
    }
    expect(count()).toBe(before);
    db.close();
  });

  it('unknown meetings and paths are JSON 404s; the app shell serves client routes', async () => {
    for (const path of ['/api/meetings/99999999999', "/api/meetings/1' OR 1=1"]) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ code: 'MEETING_NOT_FOUND' });
    }
    const api = await fetch(`${server.url}/api/nothing-here`);
    expect(api.status).toBe(404);
    expect(await api.json()).toEqual({ code: 'NOT_FOUND', message: 'Not found.' });
    const shell = await fetch(`${server.url}/m/12345678901`);
    expect(shell.status).toBe(200);
    expect(await shell.text()).toContain('<div id="root">');
  });

  it('sends security headers: a strict CSP without inline scripts', async () => {
    const res = await fetch(`${server.url}/`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('401 and 403 answers carry the same security headers as every other response', async () => {
    const unauthenticated = await fetch(`${server.url}/api/auth/me`);
    const noCsrf = await fetch(`${server.url}/api/auth/logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: 'conclave_session=forged' },
      body: '{}',
    });
    const admin = await fetch(`${server.url}/api/admin/users`);
    for (const [res, status] of [
      [unauthenticated, 401],
      [noCsrf, 401],
      [admin, 401],
    ] as const) {
      expect(res.status).toBe(status);
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    }
    const forbidden = await fetch(`${server.url}/api/auth/password-reset/request`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(forbidden.headers.get('x-content-type-options')).toBe('nosniff');
    expect(forbidden.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('healthz is ok while running', async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(await res.json()).toEqual({ status: 'ok' });
  });
});

describe('graceful shutdown', () => {
  it('tells connected clients the server is going away and closes the media workers', async () => {
    const server = await startTestServer();
    const created = (await (
      await fetch(`${server.url}/api/meetings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      })
    ).json()) as { meetingId: string };
    const c = await WsClient.connect(server.url);
    await c.join(created.meetingId, 'Ann');
    expect(server.rooms.roomCount).toBe(1);
    await server.stop();
    expect((await c.closed).code).toBe(1001);
    expect(server.rooms.roomCount).toBe(0);
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });
});
