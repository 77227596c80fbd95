import { E2eeEngine } from '@conclave/client';
import { createNodeBackend } from '@conclave/e2ee/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMeeting } from '../support/browser';
import { joinBot, waitForView } from '../support/bots';
import type { Bot } from '../support/bots';
import { HostileWire } from '../support/hostile-wire';
import type { Frame } from '../support/hostile-wire';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

/** A KeyPackage naming a seat that is not in this meeting (a device's seat on a dead node). */
async function oldSeatKeyPackage(): Promise<string> {
  const engine = new E2eeEngine({ backend: createNodeBackend() });
  await engine.init({ userId: 'p-old-seat', displayName: 'Bot S', deviceId: 'p-old-seat' });
  return Buffer.from(await engine.makeKeyPackage()).toString('base64');
}

// The committer's device refuses a KeyPackage that does not match what signaling announced
// (here: one naming the seat its device had on a node that died). It tells the Delivery Service
// so: the device is asked for a fresh one at once, and nobody joining meanwhile waits for the
// Delivery Service's commit timeout (10 s) to run out.
describe('a KeyPackage the committer refuses', () => {
  let server: TestServer;
  const bots: Bot[] = [];
  let meetingId: string;
  let host: Bot;

  beforeAll(async () => {
    server = await startTestServer();
    const meeting = await createMeeting(server.url);
    meetingId = meeting.meetingId;
    host = await joinBot(server.url, meetingId, 'Host bot', meeting.hostKey);
    bots.push(host);
    await host.room.e2ee.enable();
    await waitForView(host, (v) => v.local?.inGroup === true);
  });
  afterAll(async () => {
    for (const b of bots) await b.room.leave().catch(() => undefined);
    await server?.stop();
  });

  it('costs no commit timeout: its device and a joiner right behind it are in the group within 5 s', async () => {
    const stale = await oldSeatKeyPackage();
    const wire = new HostileWire();
    let replaced = 0;
    wire.tap.outgoing = (f: Frame) => {
      if (f.type !== 'e2ee.keyPackage' || replaced > 0) return [f];
      replaced += 1;
      return [{ ...f, keyPackage: stale }];
    };
    const banners: string[] = [];
    host.room.e2ee.on('banner', (b) => banners.push(b.text));
    const startedAt = Date.now();
    const s = await joinBot(server.url, meetingId, 'Bot S', undefined, { wire });
    bots.push(s);
    const t = await joinBot(server.url, meetingId, 'Bot T');
    bots.push(t);
    const inGroup = (bot: Bot) =>
      waitForView(bot, (v) => v.local?.inGroup === true && v.local.roster.length === 3, 5_000);
    const views = await Promise.all([host, s, t].map(inGroup));
    expect(Date.now() - startedAt).toBeLessThan(5_000);
    expect(replaced).toBe(1);
    expect(banners.some((b) => /Refused a request to give the meeting key/.test(b))).toBe(true);
    expect(new Set(views.map((v) => v.local!.securityCode)).size).toBe(1);
    expect(host.room.e2ee.view.membersWhoCouldNotJoin).toEqual([]);
  });
});
