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
    // What each device went through after the crash, for the failure message (explain()).
    const timeline: string[] = [];
    const lastLine = new Map<string, string>();
    const note = (who: string, what: string) =>
      timeline.push(`+${Date.now() - killedAt} ms ${who}: ${what}`);
    const epochLine = (
      l: { epoch: number | null; securityCode: string | null } | null,
      roster: string[],
    ) =>
      l
        ? `epoch ${l.epoch} code ${l.securityCode?.slice(0, 11)} roster [${roster.join(', ')}]`
        : 'no group';
    const offs = bots.flatMap((bot) => [
      bot.room.on('state', (st) => note(bot.name, `connection ${st.status}`)),
      bot.room.on('e2ee', (v) => {
        const line = `${v.meeting.status}; ${epochLine(v.local, v.local?.roster.map((m) => m.displayName) ?? [])}`;
        if (line !== lastLine.get(bot.name)) note(bot.name, line);
        lastLine.set(bot.name, line);
      }),
      bot.room.on('banner', (b) => note(bot.name, `banner: ${b.text}`)),
    ]);
    const explain = () =>
      [
        ...timeline,
        ...bots.map(
          (bot) =>
            `${bot.name} now: ${epochLine(bot.room.e2ee.view.local, bot.room.e2ee.view.local?.roster.map((m) => m.displayName) ?? [])}`,
        ),
      ].join('\n');

    killed = true;
    a.kill9();
    // Encrypted again: the browser's new code, once everyone is in the browser's new group (the
    // code changes with every epoch: while the group fills up, each commit makes a new one).
    const everyone = ['Hana Host', ...bots.map((b) => b.name)].sort();
    const view = await eventually(
      async () => {
        const v = await e2eeView(host);
        const line = `${v.status}; ${epochLine(v, v.roster)}`;
        if (line !== lastLine.get('browser')) note('browser', line);
        lastLine.set('browser', line);
        return v;
      },
      (v) =>
        v.status === 'on' &&
        v.securityCode !== null &&
        v.securityCode !== codeBefore &&
        [...v.roster].sort().join() === everyone.join(),
      15_000,
      100,
    );
    expect([...view.roster].sort(), explain()).toEqual(everyone);
    expect(view.securityCode).not.toBe(codeBefore);
    for (const bot of bots)
      await waitForView(
        bot,
        (v) => v.local?.inGroup === true && v.local.securityCode === view.securityCode,
        Math.max(15_000 - (Date.now() - killedAt), 1),
      ).catch((err: unknown) => {
        throw new Error(`${String(err)}\n${explain()}`);
      });
    for (const off of offs) off();
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
