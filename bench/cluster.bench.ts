// Cluster benchmark (issue 19). Not a timed test: N meetings of 4 signaling-only bots (the real
// client code, no media: placement and routing are the point) joined through a round-robin TCP
// balancer in front of 1 node, then of 3 nodes (same machine, one PostgreSQL, one Redis): join
// latency p50/p99 and how the meetings spread; then kill -9 of the busiest of the 3 nodes and the
// time until all its participants are back in their meetings on the others.
// Run: npm run bench:cluster [-- --meetings N]
// PostgreSQL at CONCLAVE_BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test),
// Redis at CONCLAVE_BENCH_REDIS_URL (default redis://127.0.0.1:6379); the run's own database and
// Redis prefix are removed afterwards.
import { parseArgs } from 'node:util';
import { startBalancer } from './lib/tcp-balancer';

const { values } = parseArgs({ options: { meetings: { type: 'string', default: '9' } } });
const MEETINGS = Number(values.meetings);
const PER_MEETING = 4;
process.env.CONCLAVE_TEST_POSTGRES_URL =
  process.env.CONCLAVE_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
process.env.CONCLAVE_TEST_REDIS_URL =
  process.env.CONCLAVE_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const { startTestCluster, eventually } = await import('../test/support/cluster-nodes');
const { joinBot } = await import('../test/support/bots');
type Bot = Awaited<ReturnType<typeof joinBot>>;
type Cluster = Awaited<ReturnType<typeof startTestCluster>>;

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

interface Phase {
  cluster: Cluster;
  balancer: Awaited<ReturnType<typeof startBalancer>>;
  meetings: { id: string; bots: Bot[] }[];
  joinMs: number[];
}

async function runPhase(nodeCount: number): Promise<Phase> {
  const cluster = await startTestCluster({ heartbeatMs: 500, leaseMs: 2000 });
  const nodes = await Promise.all(
    Array.from({ length: nodeCount }, (_, i) => cluster.startNode(`bench-${i + 1}`)),
  );
  const alive = new Set(nodes);
  const balancer = await startBalancer(() =>
    [...alive]
      .filter((n) => n.child.exitCode === null && n.child.signalCode === null)
      .map((n) => {
        const u = new URL(n.url);
        return { host: u.hostname, port: Number(u.port) };
      }),
  );
  const meetings: Phase['meetings'] = [];
  const joinMs: number[] = [];
  for (let m = 0; m < MEETINGS; m++) {
    const res = await fetch(`${balancer.url}/api/meetings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    const { meetingId, hostKey } = (await res.json()) as { meetingId: string; hostKey: string };
    const bots: Bot[] = [];
    for (let p = 0; p < PER_MEETING; p++) {
      const t0 = performance.now();
      bots.push(
        await joinBot(balancer.url, meetingId, `m${m}-p${p}`, p === 0 ? hostKey : undefined),
      );
      joinMs.push(performance.now() - t0);
    }
    meetings.push({ id: meetingId, bots });
  }
  return { cluster, balancer, meetings, joinMs };
}

async function endPhase(phase: Phase): Promise<void> {
  for (const m of phase.meetings)
    for (const b of m.bots) await b.room.leave().catch(() => undefined);
  await phase.balancer.close();
  await phase.cluster.stop();
}

const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
console.log(`cluster bench: ${MEETINGS} meetings x ${PER_MEETING} bots, signaling only\n`);

const one = await runPhase(1);
const oneP50 = percentile(one.joinMs, 50);
const oneP99 = percentile(one.joinMs, 99);
await endPhase(one);

const three = await runPhase(3);
const threeP50 = percentile(three.joinMs, 50);
const threeP99 = percentile(three.joinMs, 99);
const owners = new Map<string, string[]>();
for (const m of three.meetings) {
  const owner = (await three.cluster.ownerOf(m.id)) ?? '?';
  owners.set(owner, [...(owners.get(owner) ?? []), m.id]);
}
console.log('| nodes | join p50 | join p99 | ratio p50 / p99 vs 1 node |');
console.log('|---|---|---|---|');
console.log(`| 1 | ${fmt(oneP50)} | ${fmt(oneP99)} | 1.00x / 1.00x |`);
console.log(
  `| 3 | ${fmt(threeP50)} | ${fmt(threeP99)} | ${(threeP50 / oneP50).toFixed(2)}x / ${(threeP99 / oneP99).toFixed(2)}x |`,
);
console.log(
  `\nplacement over 3 nodes: ${[...owners.entries()]
    .sort()
    .map(([n, ids]) => `${n} ${ids.length}`)
    .join(', ')} (of ${MEETINGS})`,
);

// kill -9 of the busiest node: its meetings' bots must come back (new seats) on the others.
const [victimId, victimMeetings] = [...owners.entries()].sort(
  (a, b) => b[1].length - a[1].length,
)[0]!;
const victim = three.cluster.nodes.find((n) => n.name === victimId)!;
const affected = three.meetings.filter((m) => victimMeetings.includes(m.id));
const seats = new Map(affected.flatMap((m) => m.bots.map((b) => [b, b.room.selfId] as const)));
const killedAt = performance.now();
victim.kill9();
await eventually(
  'every participant of the killed node back',
  () =>
    [...seats.keys()].every(
      (b) =>
        b.room.state.status === 'connected' &&
        b.room.selfId !== seats.get(b) &&
        b.room.participants.length === PER_MEETING,
    ),
  60_000,
);
const recoveredMs = performance.now() - killedAt;
console.log(
  `\nkill -9 of ${victimId} (${affected.length} meetings, ${seats.size} participants, lease ${2000} ms): all back after ${fmt(recoveredMs)}`,
);
await endPhase(three);
process.exit(0);
