import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createAccountWithOwner } from '../../apps/server/src/modules/accounts/account-setup';
import { SqlClusterStore } from '../../apps/server/src/storage/sql-cluster-store';
import { ApiClient } from '../support/api-client';
import { joinBot, sentFrames, waitForView } from '../support/bots';
import type { Bot } from '../support/bots';
import { clusterSkipReason, eventually, startTestCluster } from '../support/cluster-nodes';
import type { NodeProcess, TestCluster } from '../support/cluster-nodes';

// Issue 19 with real node processes: three Conclave nodes on loopback ports, one PostgreSQL
// database, one Redis. A client may reach any node; the meeting runs on the node holding its
// lease; limits and settings changes are shared; kill -9 of the owner moves its meetings.
const CLI = new URL('../../apps/server/src/cli/main.ts', import.meta.url).pathname;
const skip = clusterSkipReason();
if (skip) console.warn(skip);

describe.runIf(!skip)('Conclave on three nodes (PostgreSQL + Redis)', () => {
  let cluster: TestCluster;
  let a: NodeProcess, b: NodeProcess, c: NodeProcess;
  let admin: ApiClient;
  const bots: Bot[] = [];
  const join = async (node: NodeProcess, meetingId: string, name: string, hostKey?: string) => {
    const bot = await joinBot(node.url, meetingId, name, hostKey);
    bots.push(bot);
    return bot;
  };
  const names = (bot: Bot) =>
    bot.room.participants.map((p) => p.displayName).sort((x, y) => x.localeCompare(y));
  const newMeeting = async () => {
    const res = await admin.post('/api/my/meetings', { title: 'Cluster' });
    expect(res.status).toBe(201);
    return res.body as { meetingId: string; hostKey: string };
  };

  beforeAll(async () => {
    cluster = await startTestCluster();
    // Behind the operator's TLS proxy: the client address comes from X-Forwarded-For.
    const config = {
      trustProxy: true,
      auth: { loginAttemptsPerMinute: 4 },
      meetings: { passcodeAttemptsPerAddress: 2 },
    };
    [a, b, c] = await Promise.all([
      cluster.startNode('node-a', config),
      cluster.startNode('node-b', config),
      cluster.startNode('node-c', config),
    ]);
    await createAccountWithOwner(cluster.stores, {
      name: 'Cluster Co',
      ownerEmail: 'owner@cluster.test',
      ownerName: 'Owner',
      ownerPassword: 'correct horse battery',
      plan: 'basic',
    });
    admin = new ApiClient(a.url);
    expect((await admin.signIn('owner@cluster.test', 'correct horse battery')).status).toBe(200);
  }, 90_000);
  afterAll(async () => {
    for (const bot of bots) await bot.room.leave().catch(() => undefined);
    await cluster?.stop();
  }, 60_000);

  const placed: { meetingId: string; hostKey: string; owner: string }[] = [];

  it('three meetings started through one node run on three different nodes', async () => {
    for (let i = 0; i < 3; i++) {
      const m = await newMeeting();
      await join(a, m.meetingId, `Host ${i}`, m.hostKey);
      placed.push({ ...m, owner: (await cluster.ownerOf(m.meetingId))! });
    }
    expect(new Set(placed.map((p) => p.owner))).toEqual(new Set(['node-a', 'node-b', 'node-c']));
  });

  it("a participant opening another node's link lands in the meeting and sees everyone", async () => {
    const m = placed.find((p) => p.owner === 'node-c')!;
    const host = bots.find((x) => x.name === `Host ${placed.indexOf(m)}`)!;
    const viaB = await join(b, m.meetingId, 'Guest via B');
    const viaC = await join(c, m.meetingId, 'Guest via C');
    const everyone = [host.name, 'Guest via B', 'Guest via C'].sort((x, y) => x.localeCompare(y));
    for (const bot of [host, viaB, viaC])
      await eventually(`${bot.name} sees everyone`, () => names(bot).join() === everyone.join());
    expect(viaB.room.role).toBe('participant');
    // Still one copy of the meeting, on its owner.
    expect(await cluster.ownerOf(m.meetingId)).toBe('node-c');
  });

  it('sign-in attempts from one address through two nodes count together', async () => {
    // Each node is a browser tab's worth of client: CSRF cookie first, then wrong passwords.
    const client = async (node: NodeProcess, address: string) => {
      const api = new ApiClient(node.url);
      api.headers['x-forwarded-for'] = address;
      await api.get('/api/auth/csrf');
      return api;
    };
    const viaA = await client(a, '203.0.113.19');
    const viaB = await client(b, '203.0.113.19');
    const wrong = { email: 'nobody@cluster.test', password: 'wrong password' };
    // The limit is 4 a minute per address; alternating nodes, each saw only 2 when the 5th came.
    const statuses = [];
    for (const api of [viaA, viaB, viaA, viaB, viaA, viaB])
      statuses.push((await api.post('/api/auth/login', wrong)).status);
    expect(statuses.slice(0, 4)).toEqual([401, 401, 401, 401]);
    expect(statuses.slice(4)).toEqual([429, 429]);
    // Another address is not affected.
    const other = await (await client(b, '203.0.113.20')).post('/api/auth/login', wrong);
    expect(other.status).not.toBe(429);
  });

  it('wrong passcodes from one address to meetings on two nodes count together', async () => {
    const m1 = (await admin.post('/api/my/meetings', { passcode: 'letmein42' })).body as {
      meetingId: string;
    };
    const m2 = (await admin.post('/api/my/meetings', { passcode: 'letmein42' })).body as {
      meetingId: string;
    };
    const store = new SqlClusterStore(cluster.db);
    const now = Date.now();
    await store.takeLease(m1.meetingId, 'node-a', now, now + 60_000);
    await store.takeLease(m2.meetingId, 'node-b', now, now + 60_000);
    const guess = (node: NodeProcess, meetingId: string) =>
      joinBot(node.url, meetingId, 'Guesser', undefined, { passcode: 'wrong-guess' }).then(
        () => 'joined',
        (err: { code?: string }) => err.code,
      );
    // Two free wrong guesses per address, the third imposes a wait: alternating meetings, node
    // A checks guesses 1 and 3, node B guesses 2 and 4 ...
    expect(await guess(c, m1.meetingId)).toBe('PASSCODE_WRONG');
    expect(await guess(c, m2.meetingId)).toBe('PASSCODE_WRONG');
    expect(await guess(c, m1.meetingId)).toBe('PASSCODE_WRONG');
    // ... so the fourth must wait, although node B itself has seen only one wrong guess.
    expect(await guess(c, m2.meetingId)).toBe('PASSCODE_ATTEMPTS_EXCEEDED');
  });

  it('a plan change made through node A reaches a meeting running on node B at once', async () => {
    const m = placed.find((p) => p.owner === 'node-b')!;
    const host = bots.find((x) => x.name === `Host ${placed.indexOf(m)}`)!;
    expect(host.room.e2ee.view.meeting.available).toBe(false);
    expect((await admin.put('/api/admin/plan', { plan: 'business' })).status).toBe(200);
    expect((await admin.put('/api/admin/meeting-settings', { allowE2ee: true })).status).toBe(200);
    await waitForView(host, (v) => v.meeting.available === true, 5_000);
  });

  it('a forged forwarding header is refused (a client cannot pick the address it is counted under)', async () => {
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${a.url.replace('http', 'ws')}/ws`, {
        headers: { 'x-conclave-via': 'MTAuMC4wLjE.bm9kZS1i.1.forged' },
      });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
    });
    expect(status).toBe(403);
  });

  it('kill -9 of the owner of an E2EE meeting: everyone is back on another node, host powers kept, encrypted again, never in the clear', async () => {
    const m = await newMeeting();
    // The meeting runs on node C (its lease taken as placement would); people come in via A and B.
    const now = Date.now();
    await new SqlClusterStore(cluster.db).takeLease(m.meetingId, 'node-c', now, now + 10_000);
    const host = await join(a, m.meetingId, 'Failover host', m.hostKey);
    const p1 = await join(b, m.meetingId, 'Failover one');
    const p2 = await join(a, m.meetingId, 'Failover two');
    expect(await cluster.ownerOf(m.meetingId)).toBe('node-c');
    const trio = ['Failover host', 'Failover one', 'Failover two'];
    for (const bot of [host, p1, p2])
      await eventually(`${bot.name} sees the others`, () => names(bot).join() === trio.join());

    // E2EE on (the account allows it since the plan change above): everyone holds the key.
    await host.room.e2ee.enable();
    for (const bot of [host, p1, p2]) await waitForView(bot, (v) => v.local?.inGroup === true);
    const codeBefore = host.room.e2ee.view.local!.securityCode;
    // From the crash on, every bot's sender must keep sealing (or dropping) frames, never clear.
    const clearAt: string[] = [];
    const watch = setInterval(() => {
      for (const bot of [host, p1, p2])
        if (!bot.worker.engine.status().encrypting) clearAt.push(bot.name);
    }, 20);

    // Back on the new owner = a new seat there (the old node's resume tokens died with it).
    const seats = new Map([host, p1, p2].map((bot) => [bot, bot.room.selfId]));
    const killedAt = Date.now();
    c.kill9();
    // A newcomer right after the crash: the owner is gone, the join is retried until it moved.
    const framesBefore = sentFrames.length;
    const late = join(b, m.meetingId, 'Late joiner');

    const all = [...trio, 'Late joiner'].sort((x, y) => x.localeCompare(y));
    const back = await Promise.all(
      [host, p1, p2].map((bot) =>
        eventually(
          `${bot.name} back in the meeting`,
          () =>
            bot.room.state.status === 'connected' &&
            bot.room.selfId !== seats.get(bot) &&
            names(bot)
              .filter((n) => n !== 'Late joiner')
              .join() === trio.join() &&
            Date.now(),
          15_000,
        ),
      ),
    );
    const recoveredMs = Math.max(...back) - killedAt;
    expect(recoveredMs).toBeLessThan(15_000);
    console.log(`cluster failover: everyone back ${recoveredMs} ms after kill -9`);
    const lateBot = await late;
    const lateJoins = sentFrames
      .slice(framesBefore)
      .filter((f) => f.includes('"type":"join"') && f.includes('Late joiner'));
    expect(lateJoins.length).toBeGreaterThan(1); // NODE_UNAVAILABLE, then a retry that worked
    for (const bot of [host, p1, p2, lateBot])
      await eventually(`${bot.name} sees all four`, () => names(bot).join() === all.join());
    expect(host.room.role).toBe('host');
    // The host's device started a new group on the new node; everyone is in it, same new code.
    const encryptedAgain = await Promise.all(
      [host, p1, p2, lateBot].map((bot) =>
        waitForView(
          bot,
          (v) =>
            v.local?.inGroup === true &&
            v.local.roster.length === 4 &&
            v.local.securityCode !== codeBefore,
          15_000,
        ).then((v) => ({ code: v.local!.securityCode, at: Date.now() })),
      ),
    );
    clearInterval(watch);
    expect(new Set(encryptedAgain.map((e) => e.code)).size).toBe(1);
    const encryptedMs = Math.max(...encryptedAgain.map((e) => e.at)) - killedAt;
    expect(encryptedMs).toBeLessThan(15_000);
    console.log(`cluster failover: encrypted again ${encryptedMs} ms after kill -9`);
    expect(clearAt).toEqual([]);
    expect(p1.room.role).toBe('participant');
    const newOwner = await cluster.ownerOf(m.meetingId);
    expect(['node-a', 'node-b']).toContain(newOwner);
    // Host powers work on the new node: the host mutes someone.
    await host.room.hostMute(p1.room.selfId!);
  }, 40_000);

  it('the operator sees every node and its load in /admin and in `conclave cluster status`', async () => {
    // Node C was killed above: once its heartbeat is older than the lease time it shows dead.
    const view = await eventually('node-c shown dead', async () => {
      const res = await admin.get('/api/admin/cluster/nodes');
      expect(res.status).toBe(200);
      const c = (res.body.nodes as { nodeId: string; live: boolean }[]).find(
        (n) => n.nodeId === 'node-c',
      );
      return c && !c.live ? (res.body as { clustered: boolean; nodes: unknown[] }) : undefined;
    });
    expect(view.clustered).toBe(true);
    const byId = Object.fromEntries(
      (
        view.nodes as { nodeId: string; live: boolean; meetings: number; participants: number }[]
      ).map((n) => [n.nodeId, n]),
    );
    expect(byId['node-a']!.live && byId['node-b']!.live).toBe(true);
    expect(byId['node-a']!.meetings + byId['node-b']!.meetings).toBeGreaterThanOrEqual(3);
    const cli = await new Promise<string>((resolve) =>
      execFile(
        process.execPath,
        ['--import', 'tsx', CLI, 'cluster', 'status'],
        {
          env: {
            ...process.env,
            DATABASE_URL: cluster.databaseUrl,
            CONCLAVE_CLUSTER_LEASE_MS: '2500',
          },
        },
        (_err, stdout, stderr) => resolve(stdout + stderr),
      ),
    );
    expect(cli).toMatch(/^node-a\s+live\s+http:\/\/127\.0\.0\.1:\d+/m);
    expect(cli).toMatch(/^node-c\s+dead/m);
    expect(cli).toMatch(/2 of 3 node\(s\) live\./);
  });

  it('a node stopped gracefully (SIGTERM) leaves the registry and hands its meetings over', async () => {
    const m = await newMeeting();
    const now = Date.now();
    await new SqlClusterStore(cluster.db).takeLease(m.meetingId, 'node-b', now, now + 10_000);
    const host = await join(a, m.meetingId, 'Graceful host', m.hostKey);
    const guest = await join(a, m.meetingId, 'Graceful guest');
    expect(await cluster.ownerOf(m.meetingId)).toBe('node-b');
    const seats = new Map([host, guest].map((bot) => [bot, bot.room.selfId]));
    await b.stop();
    // Its row and leases are gone at once: no waiting for the lease to expire.
    const nodes = await new SqlClusterStore(cluster.db).listNodes();
    expect(nodes.map((n) => n.nodeId)).not.toContain('node-b');
    for (const bot of [host, guest])
      await eventually(
        `${bot.name} back`,
        () =>
          bot.room.state.status === 'connected' &&
          bot.room.selfId !== seats.get(bot) &&
          bot.room.participants.length === 2,
        15_000,
      );
    expect(await cluster.ownerOf(m.meetingId)).toBe('node-a');
    expect(host.room.role).toBe('host');
  });
});
