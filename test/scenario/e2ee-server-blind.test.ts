import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMeeting } from '../support/browser';
import { joinBot, sentFrames, waitForView } from '../support/bots';
import type { Bot } from '../support/bots';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';
import { blobsOf } from '../support/wire-search';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** Every byte string in a frame: its text, and each base64 value decoded (any alignment). */

// The server is the MLS Delivery Service and must never hold a key (DESIGN.md §4.2). Node bots
// run the real client E2EE code; every frame they send to the server is recorded, and then
// searched for the secrets the bots derived.
describe('the server never gets E2EE key material', () => {
  let server: TestServer;
  let bots: Bot[] = [];
  let meetingId: string;

  beforeAll(async () => {
    server = await startTestServer();
    const meeting = await createMeeting(server.url);
    meetingId = meeting.meetingId;
    bots.push(await joinBot(server.url, meetingId, 'Host bot', meeting.hostKey));
    bots.push(await joinBot(server.url, meetingId, 'Bot B'));
    bots.push(await joinBot(server.url, meetingId, 'Bot C'));
  });
  afterAll(async () => {
    for (const b of bots) await b.room.leave();
    await server?.stop();
  });

  it('three devices agree on keys and code through the Delivery Service', async () => {
    await bots[0]!.room.e2ee.enable();
    const views = await Promise.all(
      bots.map((b) =>
        waitForView(b, (v) => v.local?.inGroup === true && v.local.roster.length === 3),
      ),
    );
    expect(new Set(views.map((v) => v.local!.securityCode)).size).toBe(1);
    expect(new Set(views.map((v) => v.local!.epoch)).size).toBe(1);
  });

  it('a fourth joins and one leaves: every device follows, and no frame sent to the server carries a secret', async () => {
    const d = await joinBot(server.url, meetingId, 'Bot D');
    bots.push(d);
    await Promise.all(bots.map((b) => waitForView(b, (v) => v.local?.roster.length === 4)));
    const leaving = bots[1]!;
    await leaving.room.leave();
    bots = bots.filter((b) => b !== leaving);
    const views = await Promise.all(
      bots.map((b) => waitForView(b, (v) => v.local?.roster.length === 3)),
    );
    expect(new Set(views.map((v) => v.local!.securityCode)).size).toBe(1);

    const secrets: Uint8Array[] = [];
    for (const b of [...bots, leaving]) {
      if (b.worker.engine.status().inGroup)
        secrets.push(...(await b.worker.engine.secretsForAudit()));
    }
    expect(secrets.length).toBeGreaterThan(6);
    expect(sentFrames.length).toBeGreaterThan(10);
    const blobs = sentFrames.flatMap(blobsOf);
    const room = await server.rooms.room(meetingId as never);
    blobs.push(Buffer.from(JSON.stringify(room!.e2eeView())));
    for (const secret of secrets) {
      for (const blob of blobs) {
        expect(blob.indexOf(Buffer.from(secret)), 'a secret in what the server received').toBe(-1);
        expect(blob.indexOf(hex(secret))).toBe(-1);
      }
    }
  });
});
