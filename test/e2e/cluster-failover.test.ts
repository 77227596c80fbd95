import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlClusterStore } from '../../apps/server/src/storage/sql-cluster-store';
import { joinBot, waitForView } from '../support/bots';
import type { Bot } from '../support/bots';
import {
  createMeeting,
  e2eeView,
  eventually,
  joinAsHost,
  launchChromium,
  newParticipant,
  readSecurityCode,
  turnOnE2ee,
  waitForE2eeShield,
  offersEndForAll,
} from '../support/browser';
import type { Participant } from '../support/browser';
import { clusterSkipReason, startTestCluster } from '../support/cluster-nodes';
import type { NodeProcess, TestCluster } from '../support/cluster-nodes';

// Issue 19: kill -9 of the node that owns an end-to-end encrypted meeting with three participants
// (one browser, the host, and two bots), all connected through the other node. Everyone is back
// within 15 s, the host still has host controls, the meeting is encrypted again with a new
// security code, and the browser's publisher never sent a frame in the clear after the crash.
const skip = clusterSkipReason();
if (skip) console.warn(skip);

interface Counters {
  passedThrough: number;
}

describe.runIf(!skip)('failover of an E2EE meeting with a browser', () => {
  let cluster: TestCluster;
  let a: NodeProcess, b: NodeProcess;
  let browser: Browser;
  const bots: Bot[] = [];
  /** The node that runs the meeting and is killed; a second attempt starts a fresh one. */
  let owner = 'fo-a';
  let killed = false;

  beforeAll(async () => {
    cluster = await startTestCluster();
    [a, b] = await Promise.all([cluster.startNode('fo-a'), cluster.startNode('fo-b')]);
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const bot of bots) await bot.room.leave().catch(() => undefined);
    await browser?.close();
    await cluster?.stop();
  });

  it('kill -9 of the owner: back within 15 s, host controls kept, encrypted again, never in the clear', async () => {
    if (killed) {
      // the real-browser suite runs a failing test once more: the first attempt killed the owner
      for (const bot of bots.splice(0)) await bot.room.leave().catch(() => undefined);
      owner = 'fo-a2';
      a = await cluster.startNode(owner);
      killed = false;
    }
    const m = await createMeeting(b.url);
    const now = Date.now();
    await new SqlClusterStore(cluster.db).takeLease(m.meetingId, owner, now, now + 10_000);
    const host: Participant = await newParticipant(browser, 'Hana Host');
    await joinAsHost(host, m); // the invite link is node B's; node A runs the meeting
    bots.push(await joinBot(b.url, m.meetingId, 'Bot one'));
    bots.push(await joinBot(b.url, m.meetingId, 'Bot two'));
    expect(await cluster.ownerOf(m.meetingId)).toBe(owner);
    await turnOnE2ee(host);
    await waitForE2eeShield(host);
    for (const bot of bots) await waitForView(bot, (v) => v.local?.inGroup === true);
    const codeBefore = await readSecurityCode(host);
    const clearBefore = ((await e2eeView(host)).counters as Counters | null)?.passedThrough ?? 0;
    const botClear: string[] = [];
    const watch = setInterval(() => {
      for (const bot of bots) if (!bot.worker.engine.status().encrypting) botClear.push(bot.name);
    }, 20);

    const killedAt = Date.now();
    killed = true;
    a.kill9();
    // Encrypted again: the browser's new code, the same on every device, different from before.
    const view = await eventually(
      () => e2eeView(host),
      (v) => v.status === 'on' && v.securityCode !== null && v.securityCode !== codeBefore,
      15_000,
      100,
    );
    expect(view.securityCode).not.toBe(codeBefore);
    for (const bot of bots)
      await waitForView(
        bot,
        (v) => v.local?.inGroup === true && v.local.securityCode === view.securityCode,
        15_000 - (Date.now() - killedAt),
      );
    const backMs = Date.now() - killedAt;
    clearInterval(watch);
    console.log(`cluster failover (browser): encrypted again ${backMs} ms after kill -9`);
    expect(backMs).toBeLessThan(15_000);
    expect(await cluster.ownerOf(m.meetingId)).toBe('fo-b');
    await waitForE2eeShield(host);
    // Host controls are still there (the host key made the new seat a host's).
    await expect(offersEndForAll(host)).resolves.toBe(true);
    // Publisher side: not one frame left the browser or a bot in the clear after the crash.
    const clearAfter = ((await e2eeView(host)).counters as Counters | null)?.passedThrough ?? 0;
    expect(clearAfter).toBe(clearBefore);
    expect(botClear).toEqual([]);
  });
});
