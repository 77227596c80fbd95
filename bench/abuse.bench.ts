// Abuse benchmark (issue 15). Not a timed test: an honest participant's heartbeat round trip and
// /healthz latency (p50 / p99), idle vs. while 16 sockets guess passcodes vs. while 100
// unauthenticated sockets send oversized and deeply nested frames, with ratios against the idle
// baseline measured in the same run. Target: p99 under both attacks ≤ 3x idle and < 100 ms.
// Attackers run in a child process (bench/lib/abuse-attacker.ts), the server and the honest
// participant in this one, all on loopback with the server's default limits.
// Run: node --import tsx bench/abuse.bench.ts [--seconds S]
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { createMeeting } from '../test/support/browser';
import { startTestServer } from '../test/support/test-server';
import { WsClient } from '../test/support/ws-client';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '10' } } });
const PHASE_MS = Number(values.seconds) * 1000;

interface Latencies {
  heartbeat: number[];
  healthz: number[];
}

function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

async function sample(url: string, honest: WsClient, ms: number): Promise<Latencies> {
  const out: Latencies = { heartbeat: [], healthz: [] };
  const end = Date.now() + ms;
  const heartbeats = (async () => {
    while (Date.now() < end) {
      const t0 = performance.now();
      const r = await honest.request({ type: 'heartbeat' });
      if (r.ok !== true) throw new Error(`heartbeat refused: ${JSON.stringify(r)}`);
      out.heartbeat.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 50)); // 20/s, under the per-socket limit
    }
  })();
  const health = (async () => {
    while (Date.now() < end) {
      const t0 = performance.now();
      const res = await fetch(`${url}/healthz`);
      await res.arrayBuffer();
      out.healthz.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  await Promise.all([heartbeats, health]);
  return out;
}

function attack(
  url: string,
  mode: string,
  meetingId: string,
  sockets: number,
  ms: number,
  from: string,
) {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'bench/lib/abuse-attacker.ts',
      url,
      mode,
      meetingId,
      String(sockets),
      String(ms),
      from,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise<Record<string, unknown>>((resolve, reject) =>
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out) as Record<string, unknown>)
        : reject(new Error(`attacker exited ${code}`)),
    ),
  );
}

const server = await startTestServer();
try {
  const honestMeeting = await createMeeting(server.url, 'honest123');
  const target = await createMeeting(server.url, 'target456');
  const honest = await WsClient.connect(server.url);
  const joined = await honest.join(honestMeeting.meetingId, 'Honest', { passcode: 'honest123' });
  if (joined.ok !== true) throw new Error(`honest join failed: ${JSON.stringify(joined)}`);
  // Warm up the paths measured.
  await sample(server.url, honest, 1000);

  const phases: { name: string; lat: Latencies; attacker?: Record<string, unknown> }[] = [];
  phases.push({ name: 'idle', lat: await sample(server.url, honest, PHASE_MS) });
  // Each attacker from its own loopback address (the honest participant is 127.0.0.1), so one
  // attack's penalties do not carry into the next state.
  for (const [name, mode, sockets, from] of [
    ['16 wrong-passcode sockets', 'passcode', 16, '127.0.0.2'],
    ['100 unauthenticated flooders', 'flood', 100, '127.0.0.3'],
  ] as const) {
    const attacker = attack(server.url, mode, target.meetingId, sockets, PHASE_MS + 2000, from);
    await new Promise((r) => setTimeout(r, 1500)); // let the attack get going
    const lat = await sample(server.url, honest, PHASE_MS);
    phases.push({ name, lat, attacker: await attacker });
  }
  // The honest participant is still in its meeting.
  const still = await honest.request({ type: 'heartbeat' });

  const idle = phases[0]!.lat;
  const fmt = (x: number) => x.toFixed(2).padStart(8);
  const ratio = (x: number, base: number) => `${(x / base).toFixed(2)}x`.padStart(7);
  console.log(`\nabuse bench: ${PHASE_MS / 1000} s per state, server defaults, loopback\n`);
  console.log(
    'state                          | heartbeat ms p50 |   p99 (ratio)      | n    | /healthz ms p50 |   p99 (ratio)      | n',
  );
  console.log('-'.repeat(121));
  for (const p of phases) {
    const h50 = percentile(p.lat.heartbeat, 50);
    const h99 = percentile(p.lat.heartbeat, 99);
    const z50 = percentile(p.lat.healthz, 50);
    const z99 = percentile(p.lat.healthz, 99);
    console.log(
      `${p.name.padEnd(30)} | ${fmt(h50)} ${ratio(h50, percentile(idle.heartbeat, 50))} | ${fmt(h99)} ${ratio(h99, percentile(idle.heartbeat, 99))}  | ${String(p.lat.heartbeat.length).padStart(4)} | ${fmt(z50)} ${ratio(z50, percentile(idle.healthz, 50))} | ${fmt(z99)} ${ratio(z99, percentile(idle.healthz, 99))}  | ${p.lat.healthz.length}`,
    );
  }
  console.log('');
  for (const p of phases.slice(1))
    console.log(`${p.name}: attacker saw ${JSON.stringify(p.attacker)}`);
  let met = true;
  for (const p of phases.slice(1))
    for (const kind of ['heartbeat', 'healthz'] as const) {
      const p99 = percentile(p.lat[kind], 99);
      const base = percentile(idle[kind], 99);
      const ok = p99 <= 3 * base && p99 < 100;
      met &&= ok;
      console.log(
        `target ${kind} p99 under "${p.name}": ${p99.toFixed(2)} ms vs ≤ ${(3 * base).toFixed(2)} ms (3x idle) and < 100 ms: ${ok ? 'met' : 'NOT met'}`,
      );
    }
  console.log(`honest participant still joined afterwards: ${still.ok === true ? 'yes' : 'NO'}`);
  console.log(met ? 'all targets met' : 'some targets not met (see above)');
  honest.close();
} finally {
  await server.stop();
}
