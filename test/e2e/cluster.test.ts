import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlClusterStore } from '../../apps/server/src/storage/sql-cluster-store';
import {
  createMeeting,
  eventually,
  joinMeeting,
  launchChromium,
  newParticipant,
  remoteStats,
} from '../support/browser';
import type { Participant } from '../support/browser';
import { clusterSkipReason, startTestCluster } from '../support/cluster-nodes';
import type { NodeProcess, TestCluster } from '../support/cluster-nodes';

// Issue 19 in real browsers: two Conclave node processes on one PostgreSQL + Redis. The meeting
// runs on node A; one person opens node A's link, the other node B's: B forwards the signaling
// to A, media goes straight to A's SFU, and both see and hear each other.
const skip = clusterSkipReason();
if (skip) console.warn(skip);

describe.runIf(!skip)('a meeting across two nodes in real browsers', () => {
  let cluster: TestCluster;
  let a: NodeProcess, b: NodeProcess;
  let browser: Browser;
  const people: Participant[] = [];

  beforeAll(async () => {
    cluster = await startTestCluster();
    [a, b] = await Promise.all([cluster.startNode('e2e-a'), cluster.startNode('e2e-b')]);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await cluster?.stop();
  });

  it("a participant opening node B's link joins the meeting running on node A: both see and hear", async () => {
    const m = await createMeeting(a.url);
    // Placed on node A (as placement would when A is the least loaded).
    const now = Date.now();
    await new SqlClusterStore(cluster.db).takeLease(m.meetingId, 'e2e-a', now, now + 10_000);
    const ann = await newParticipant(browser, 'Ann on A');
    const ben = await newParticipant(browser, 'Ben on B');
    people.push(ann, ben);
    await joinMeeting(ann, `${a.url}/m/${m.meetingId}`);
    await joinMeeting(ben, `${b.url}/m/${m.meetingId}`);
    expect(await cluster.ownerOf(m.meetingId)).toBe('e2e-a');
    for (const p of people) {
      const stats = await eventually(
        () => remoteStats(p.page),
        (s) =>
          s.length === 1 &&
          s.every((x) => x.framesDecoded > 0 && x.frameWidth > 0 && x.audioPacketsReceived > 0),
        30_000,
      );
      expect(stats[0]!.framesDecoded, `${p.name} sees the other`).toBeGreaterThan(0);
      expect(stats[0]!.audioPacketsReceived, `${p.name} hears the other`).toBeGreaterThan(0);
    }
    // Still one copy of the meeting: node A runs it with both people, node B none.
    const store = new SqlClusterStore(cluster.db);
    const nodes = await eventually(
      () => store.listNodes(),
      (list) => list.find((n) => n.nodeId === 'e2e-a')?.participants === 2,
      10_000,
    );
    expect(nodes.find((n) => n.nodeId === 'e2e-a')).toMatchObject({ participants: 2, meetings: 1 });
    expect(nodes.find((n) => n.nodeId === 'e2e-b')).toMatchObject({ participants: 0, meetings: 0 });
  });
});
