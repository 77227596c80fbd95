import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMeeting } from '../support/browser';
import { joinBot, waitForView } from '../support/bots';
import type { Bot } from '../support/bots';
import { corruptBase64, HostileWire } from '../support/hostile-wire';
import type { Frame } from '../support/hostile-wire';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

/** Spoils the next `count` Welcomes this wire carries (count = Infinity: all of them). */
function spoilWelcomes(wire: HostileWire, count: number): { spoiled: number } {
  const seen = { spoiled: 0 };
  wire.tap.incoming = (f: Frame) => {
    if (f.type !== 'e2ee.welcome' || seen.spoiled >= count) return [f];
    seen.spoiled += 1;
    return [{ ...f, welcome: corruptBase64(String(f.welcome)) }];
  };
  return seen;
}

// A joiner whose Welcome does not open is never left silently stuck: it asks for a new Add
// with a fresh KeyPackage, and after a second failure the person and the host are told.
describe('a Welcome that fails', () => {
  let server: TestServer;
  const bots: Bot[] = [];
  let meetingId: string;
  let host: Bot;

  beforeAll(async () => {
    server = await startTestServer();
    const meeting = await createMeeting(server.url);
    meetingId = meeting.meetingId;
    host = await joinBot(server.url, meetingId, 'Host bot', meeting.hostKey);
    bots.push(host, await joinBot(server.url, meetingId, 'Bot B'));
    await host.room.e2ee.enable();
    await Promise.all(bots.map((b) => waitForView(b, (v) => v.local?.roster.length === 2)));
  });
  afterAll(async () => {
    for (const b of bots) await b.room.leave().catch(() => undefined);
    await server?.stop();
  });

  it('once: the joiner asks for a new Add and enters the group with everyone’s security code', async () => {
    const wire = new HostileWire();
    const seen = spoilWelcomes(wire, 1);
    const c = await joinBot(server.url, meetingId, 'Bot C', undefined, { wire });
    bots.push(c);
    const joined = await waitForView(c, (v) => v.local?.inGroup === true);
    // The retry replaced C's first leaf in a later epoch: everyone meets C there.
    const views = await Promise.all(
      bots.map((b) => waitForView(b, (v) => v.local?.epoch === joined.local!.epoch)),
    );
    expect(views.map((v) => v.local!.roster.length)).toEqual([3, 3, 3]);
    expect(seen.spoiled).toBe(1);
    expect(new Set(views.map((v) => v.local!.securityCode)).size).toBe(1);
    expect(c.room.e2ee.view.joinFailure).toBeNull();
    expect(host.room.e2ee.view.membersWhoCouldNotJoin).toEqual([]);
  });

  it('twice: the person sees why, the host sees who and why, and no dead leaf stays in the group', async () => {
    const wire = new HostileWire();
    spoilWelcomes(wire, Infinity);
    const banners: string[] = [];
    const d = await joinBot(server.url, meetingId, 'Bot D', undefined, { wire });
    bots.push(d);
    d.room.e2ee.on('banner', (b) => banners.push(b.text));
    const dView = await waitForView(d, (v) => v.joinFailure !== null);
    expect(dView.joinFailure).toMatch(/could not join the end-to-end encrypted meeting \(.+\)/);
    expect(dView.local?.inGroup).toBe(false);
    expect(banners.some((t) => t === dView.joinFailure)).toBe(true);

    const hostView = await waitForView(host, (v) => v.membersWhoCouldNotJoin.length === 1);
    expect(hostView.membersWhoCouldNotJoin[0]).toMatchObject({ displayName: 'Bot D' });
    expect(hostView.membersWhoCouldNotJoin[0]!.reason.length).toBeGreaterThan(5);
    // D's leaf (from two spoiled Welcomes) is removed: only the three who hold keys remain.
    const after = await waitForView(
      host,
      (v) => v.local?.roster.length === 3 && !v.local.roster.some((m) => m.displayName === 'Bot D'),
    );
    expect(after.local!.roster.map((m) => m.displayName).sort()).toEqual([
      'Bot B',
      'Bot C',
      'Host bot',
    ]);
  });
});
