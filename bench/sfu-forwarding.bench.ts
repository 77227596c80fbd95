/**
 * SFU forwarding benchmark: Conclave's SFU against Janus VideoRoom (Debian's `janus`), driven by
 * the same werift load generator (bench/lib/sfu-loadgen.ts, its own process), interleaved layout
 * by layout. A layout PxS = P publishers (synthetic Opus 120 B + VP8 1100 B RTP at --audio-pps
 * and --video-pps) and S subscribers that each receive every publisher.
 *
 * Each run (one server, one layout, fresh processes) has three windows, CPU time of every thread
 * of the server process from Linux schedstat (ns; Conclave: the host process with its media
 * worker thread):
 *   idle:       publishers connected, no media;
 *   receive:    publishers send, no subscribers yet;
 *   forwarding: S subscribers connected, everything flows (RSS sampled at its end).
 * µs/out (all-in)        = CPU(forwarding) / packets the subscribers got;
 * µs/fwd (marginal)       = (CPU(forwarding) - receive rate x wall) / packets the subscribers got;
 * µs/rx                   = (CPU(receive) - idle rate x wall) / packets sent.
 * A layout Px0 (no subscribers) measures receiving only: its forwarding window is the receive one.
 * The receive window starts --rx-warmup seconds (default 30) after the first media: a fresh
 * Node process runs its receive path in V8's baseline tier, and compiles it on background
 * threads, for tens of seconds at 150-300 packets/s (measured at 2x0: 169 µs/rx with 3 s of
 * warm-up, 97 µs/rx with 30 s), a one-off per server process that a 6 s window would otherwise
 * charge to every received packet. Janus (C) has no warm-up; both get the same wait.
 * Packet counts come from the nominal rates (P x (audio + video) pps in, x S x (1 - loss) out);
 * the clients' own counts are printed as a check.
 * Loss: packets missing from the subscribers' sequence numbers / packets expected, forwarding window.
 * Set SFU_BENCH_PROF=<dir> to write a CPU profile of Conclave's host (and its worker) there, and
 * SFU_BENCH_THREADS=1 to print each server thread's CPU in every window (idle, receive, forward).
 *
 * With --rounds N > 1 the table shows each figure's median over the rounds, and a line per layout
 * gives Conclave/Janus round by round (a round runs both servers back to back).
 *
 *   npm run bench:sfu -- --layouts 2x2,4x4,6x6,1x6 --seconds 6 [--rounds 1] [--no-janus]
 *     [--warmup 3] [--rx-warmup 30]
 *
 * Janus runs in a network namespace (see bench/lib/janus-server.ts); without root or the package
 * it is skipped with a message and only Conclave's rows are printed.
 */
import { parseArgs } from 'node:util';
import {
  cpuDeltaUs,
  rssMb,
  startConclave,
  threadCpuUs,
  udpRcvbufErrors,
  startJanusServer,
  type BenchServer,
} from './lib/bench-servers';
import { Child, type LoadCounters, type LoadRequest } from './lib/sfu-ipc';

const { values } = parseArgs({
  options: {
    layouts: { type: 'string', default: '2x2,4x4,6x6,1x6' },
    seconds: { type: 'string', default: '6' },
    rounds: { type: 'string', default: '1' },
    'video-pps': { type: 'string', default: '100' },
    'audio-pps': { type: 'string', default: '50' },
    warmup: { type: 'string', default: '3' },
    'rx-warmup': { type: 'string', default: '30' },
    'no-janus': { type: 'boolean', default: false },
  },
});
const cfg = {
  layouts: values.layouts.split(',').map((l) => {
    const [p, s] = l.split('x').map(Number);
    if (!p || s === undefined || Number.isNaN(s)) throw new Error(`bad layout ${l} (want PxS)`);
    return { name: l, publishers: p, subscribers: s };
  }),
  seconds: Number(values.seconds),
  rounds: Number(values.rounds),
  videoPps: Number(values['video-pps']),
  audioPps: Number(values['audio-pps']),
  warmup: Number(values.warmup),
  rxWarmup: Number(values['rx-warmup']),
};

type Layout = (typeof cfg.layouts)[number];
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Window {
  cpuUs: number;
  wallS: number;
  sent: number;
  received: number;
  lost: number;
  /** UDP datagrams dropped by the kernel for full receive buffers (whole host). */
  kernelDrops: number;
}

interface Result {
  cpuPct: number;
  usPerOut: number;
  usPerFwd: number;
  usPerRx: number;
  loss: number;
  rssMb: number;
  /** What the subscribers counted (a check on the nominal rate). */
  receivedPps: number;
  /** Kernel UDP receive-buffer drops per second in the forwarding window (a busy load generator). */
  dropsPps: number;
}

const threadsOn = Boolean(process.env.SFU_BENCH_THREADS);

/** Prints each thread's CPU (% of one core) over a window, busiest first. */
const printThreads = (
  label: string,
  before: Map<string, number>,
  after: Map<string, number>,
  wallS: number,
  pid: number,
): void => {
  const busy = [...after]
    .map(([t, us]) => [t, (us - (before.get(t) ?? 0)) / 1e4 / wallS] as const)
    .filter(([, pct]) => pct > 0)
    .sort((a, b) => b[1] - a[1]);
  console.log(
    `    ${label.padEnd(8)} ${busy.map(([t, p]) => `${t.startsWith(`${pid} `) ? 'main' : t} ${p.toFixed(1)}%`).join(', ')}`,
  );
};

const measure = async (
  seconds: number,
  pid: number,
  load: Child<LoadRequest>,
  label: string,
): Promise<Window> => {
  const c0 = await load.call<LoadCounters>({ kind: 'counters' });
  const drops0 = udpRcvbufErrors();
  const threads0 = threadCpuUs(pid);
  const t0 = performance.now();
  await sleep(seconds * 1000);
  const threads1 = threadCpuUs(pid);
  const cpuUs = cpuDeltaUs(threads0, threads1);
  const wallS = (performance.now() - t0) / 1000;
  if (threadsOn) printThreads(label, threads0, threads1, wallS, pid);
  const c1 = await load.call<LoadCounters>({ kind: 'counters' });
  const kernelDrops = udpRcvbufErrors() - drops0;
  return {
    kernelDrops,
    cpuUs,
    wallS,
    sent: c1.sent - c0.sent,
    received: c1.received - c0.received,
    lost: c1.lost - c0.lost,
  };
};

const runOnce = async (server: BenchServer, layout: Layout): Promise<Result> => {
  const load = new Child<LoadRequest>(new URL('./lib/sfu-loadgen.ts', import.meta.url));
  try {
    const { offers } = await load.call<{ offers: string[] }>({
      kind: 'publish',
      publishers: layout.publishers,
    });
    await load.call({ kind: 'publishAnswers', answers: await server.publish(offers) });
    await load.call({ kind: 'waitConnected' });
    await sleep(1000);
    const idle = await measure(Math.max(2, cfg.seconds / 2), server.pid, load, 'idle');
    await load.call({ kind: 'start', audioPps: cfg.audioPps, videoPps: cfg.videoPps });
    await sleep(cfg.rxWarmup * 1000);
    const rx = await measure(cfg.seconds, server.pid, load, 'receive');
    if (layout.subscribers > 0) {
      await server.subscribe(layout.subscribers, async (subOffers) => {
        const r = await load.call<{ answers: string[] }>({ kind: 'subscribe', offers: subOffers });
        return r.answers;
      });
      await load.call({ kind: 'waitConnected' });
      await sleep(cfg.warmup * 1000);
    }
    const fwd =
      layout.subscribers > 0
        ? await measure(cfg.seconds, server.pid, load, 'forward')
        : { ...rx, received: 0, lost: 0 };
    const rss = rssMb(server.pid);
    await load.call({ kind: 'stop' });
    const idleRate = idle.cpuUs / idle.wallS;
    const rxRate = rx.cpuUs / rx.wallS;
    // Packet counts from the nominal rates (the load generator paces by elapsed time): the
    // clients' counters are read over IPC and lag when the load generator itself is busy.
    const inPps = layout.publishers * (cfg.audioPps + cfg.videoPps);
    const loss = fwd.lost / Math.max(fwd.received + fwd.lost, 1);
    const outPkts = inPps * layout.subscribers * fwd.wallS * (1 - Math.max(0, loss));
    return {
      cpuPct: fwd.cpuUs / 1e4 / fwd.wallS,
      // a receive-only layout (S = 0) forwards nothing: no per-forwarded-packet figures
      usPerOut: outPkts > 0 ? fwd.cpuUs / outPkts : Number.NaN,
      usPerFwd: outPkts > 0 ? (fwd.cpuUs - rxRate * fwd.wallS) / outPkts : Number.NaN,
      usPerRx: (rx.cpuUs - idleRate * rx.wallS) / (inPps * rx.wallS),
      loss,
      rssMb: rss,
      receivedPps: fwd.received / fwd.wallS,
      dropsPps: fwd.kernelDrops / fwd.wallS,
    };
  } finally {
    await load.exit();
  }
};

/** The median of each figure over the rounds (one slow round on this shared VM moves a mean). */
const median = (rs: Result[]): Result => {
  const mid = (f: (r: Result) => number): number => {
    const xs = rs.map(f).sort((a, b) => a - b);
    const h = Math.floor(xs.length / 2);
    return xs.length % 2 ? xs[h]! : (xs[h - 1]! + xs[h]!) / 2;
  };
  return {
    cpuPct: mid((r) => r.cpuPct),
    usPerOut: mid((r) => r.usPerOut),
    usPerFwd: mid((r) => r.usPerFwd),
    usPerRx: mid((r) => r.usPerRx),
    loss: mid((r) => r.loss),
    rssMb: mid((r) => r.rssMb),
    receivedPps: mid((r) => r.receivedPps),
    dropsPps: mid((r) => r.dropsPps),
  };
};

/** Conclave/Janus of one figure round by round (both measured back to back in each round). */
const perRound = (cs: Result[], js: Result[], f: (r: Result) => number): string =>
  cs.map((c, i) => (js[i] ? (f(c) / f(js[i])).toFixed(2) : '-')).join(' ');

const janusAvailable = async (): Promise<boolean> => {
  if (values['no-janus']) return false;
  const probe = await startJanusServer();
  if ('error' in probe) {
    console.log(`Janus skipped: ${probe.error}`);
    return false;
  }
  await probe.stop();
  return true;
};

const main = async (): Promise<void> => {
  console.log(
    `sfu-forwarding: layouts ${values.layouts} (publishers x subscribers), ` +
      `audio ${cfg.audioPps} pps x 120 B + video ${cfg.videoPps} pps x 1100 B per publisher, ` +
      `${cfg.seconds} s windows, receive window ${cfg.rxWarmup} s after the first media, ${cfg.rounds} round(s)`,
  );
  const withJanus = await janusAvailable();
  const servers: Array<() => Promise<BenchServer | { error: string }>> = [startConclave];
  if (withJanus) servers.push(startJanusServer);
  const results = new Map<string, Result[]>();
  for (let round = 0; round < cfg.rounds; round++) {
    for (const [li, layout] of cfg.layouts.entries()) {
      // alternate which server goes first, so drift on the shared VM hits both alike
      const order = (round + li) % 2 === 0 ? servers : [...servers].reverse();
      for (const start of order) {
        const server = await start();
        if ('error' in server) throw new Error(server.error);
        try {
          const r = await runOnce(server, layout);
          const key = `${layout.name}/${server.name}`;
          results.set(key, [...(results.get(key) ?? []), r]);
          console.log(
            `  ${key.padEnd(14)} cpu ${r.cpuPct.toFixed(1)}% out ${r.usPerOut.toFixed(1)} µs fwd ${r.usPerFwd.toFixed(1)} µs ` +
              `rx ${r.usPerRx.toFixed(1)} µs loss ${(r.loss * 100).toFixed(2)}% rss ${r.rssMb.toFixed(0)} MB (clients got ${r.receivedPps.toFixed(0)} pkt/s, kernel dropped ${r.dropsPps.toFixed(0)}/s)`,
          );
        } finally {
          await server.stop();
        }
      }
    }
  }
  const cell = (v: number, d = 1): string => (Number.isNaN(v) ? '-' : v.toFixed(d)).padStart(7);
  console.log('');
  console.log(
    'layout  server    CPU %  µs/out  µs/fwd   µs/rx  loss %  RSS MB   (per publisher ' +
      `${cfg.videoPps} video + ${cfg.audioPps} audio pkt/s)`,
  );
  for (const layout of cfg.layouts) {
    const cs = results.get(`${layout.name}/conclave`)!;
    const c = median(cs);
    const line = (name: string, r: Result): string =>
      `${layout.name.padEnd(7)} ${name.padEnd(8)} ${cell(r.cpuPct)} ${cell(r.usPerOut)} ${cell(r.usPerFwd)} ${cell(r.usPerRx)} ${cell(r.loss * 100, 2)} ${cell(r.rssMb, 0)}`;
    console.log(line('conclave', c));
    const js = results.get(`${layout.name}/janus`);
    if (!js) continue;
    const j = median(js);
    console.log(line('janus', j));
    console.log(
      `${layout.name.padEnd(7)} ${'C/J'.padEnd(8)} ${cell(c.cpuPct / j.cpuPct, 2)} ${cell(c.usPerOut / j.usPerOut, 2)} ${cell(c.usPerFwd / j.usPerFwd, 2)} ` +
        `${cell(c.usPerRx / j.usPerRx, 2)} ${''.padStart(7)} ${cell(c.rssMb / j.rssMb, 2)}`,
    );
    if (cs.length > 1)
      console.log(
        `${''.padEnd(7)} C/J by round: µs/out ${perRound(cs, js, (r) => r.usPerOut)}; ` +
          `µs/rx ${perRound(cs, js, (r) => r.usPerRx)}`,
      );
  }
};

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
