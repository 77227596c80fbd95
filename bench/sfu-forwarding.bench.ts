/**
 * SFU forwarding benchmark: N werift publishers x M werift subscribers (in a child process)
 * through one MediaWorker (in this process), synthetic Opus (120 B) + VP8 (1100 B) RTP.
 *
 * Windows, each --seconds long, measured with process.cpuUsage() of this process (the SFU
 * worker thread + its main-thread proxies; the clients' cost is in the child):
 *   1. forwarding:   everything flows;
 *   2. receive-only: producers paused (packets received, decrypted, dropped);
 *   3. idle:         connected, no media (fixed cost: RTCP, ICE keepalives), half as long;
 *   4. baseline:     a plain node:dgram relay of the same packet rates and fan-out.
 * Per-received cost = (CPU(2) - CPU(3)) / packets in;
 * per-forwarded cost = (CPU(1) - CPU(2)) / packets out (the marginal cost of the fan-out).
 *
 *   npm run bench:sfu -- --publishers 3 --subscribers 3 --seconds 10 --video-pps 100
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { parseArgs } from 'node:util';
import { MediaWorker, type Producer, type Transport } from '@conclave/sfu';
import type {
  LoadCounters,
  LoadEnvelope,
  LoadReply,
  LoadRequest,
  LoadResponse,
} from './lib/sfu-ipc';

const { values } = parseArgs({
  options: {
    publishers: { type: 'string', default: '3' },
    subscribers: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '10' },
    'video-pps': { type: 'string', default: '100' },
    'audio-pps': { type: 'string', default: '50' },
    warmup: { type: 'string', default: '2' },
  },
});
const cfg = {
  publishers: Number(values.publishers),
  subscribers: Number(values.subscribers),
  seconds: Number(values.seconds),
  videoPps: Number(values['video-pps']),
  audioPps: Number(values['audio-pps']),
  warmup: Number(values.warmup),
};

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

class LoadGen {
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, (reply: LoadReply) => void>();
  #nextId = 1;

  constructor() {
    this.#child = fork(new URL('./lib/sfu-loadgen.ts', import.meta.url), {
      execArgv: ['--import', 'tsx'],
      stdio: 'inherit',
    });
    this.#child.on('message', (reply: LoadReply) => {
      this.#pending.get(reply.id)?.(reply);
      this.#pending.delete(reply.id);
    });
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  async call<T extends LoadResponse>(request: LoadRequest): Promise<T> {
    const id = this.#nextId++;
    const reply = await new Promise<LoadReply>((resolve) => {
      this.#pending.set(id, resolve);
      this.#child.send({ id, request } satisfies LoadEnvelope);
    });
    if (reply.error !== undefined) throw new Error(`loadgen: ${reply.error}`);
    return reply.result as T;
  }
}

interface Window {
  cpuUs: number;
  wallS: number;
  inPkts: number;
  outPkts: number;
  sent: number;
  received: number;
}

const measure = async (
  seconds: number,
  sample: () => Promise<{ inPkts: number; outPkts: number }>,
  load: LoadGen,
): Promise<Window> => {
  const c0 = await load.call<LoadCounters>({ kind: 'counters' });
  const s0 = await sample();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await sleep(seconds * 1000);
  const cpu = process.cpuUsage(cpu0);
  const wallS = (performance.now() - t0) / 1000;
  const s1 = await sample();
  const c1 = await load.call<LoadCounters>({ kind: 'counters' });
  return {
    cpuUs: cpu.user + cpu.system,
    wallS,
    inPkts: s1.inPkts - s0.inPkts,
    outPkts: s1.outPkts - s0.outPkts,
    sent: c1.sent - c0.sent,
    received: c1.received - c0.received,
  };
};

const fmt = (n: number, digits = 1): string => n.toFixed(digits);

const main = async (): Promise<void> => {
  const expectedIn = cfg.publishers * (cfg.audioPps + cfg.videoPps);
  console.log(
    `sfu-forwarding: ${cfg.publishers} publishers x ${cfg.subscribers} subscribers, ` +
      `audio ${cfg.audioPps} pps x 120 B + video ${cfg.videoPps} pps x 1100 B per publisher, ` +
      `${cfg.seconds} s windows (+${cfg.warmup} s warm-up); expected ${expectedIn} pkt/s in, ` +
      `${expectedIn * cfg.subscribers} pkt/s out`,
  );
  const load = new LoadGen();
  const worker = await MediaWorker.create({
    iceServers: [],
    iceAdditionalHostAddresses: ['127.0.0.1'],
  });
  const router = await worker.createRouter();

  // publish
  const { offers } = await load.call<{ offers: string[] }>({
    kind: 'publish',
    publishers: cfg.publishers,
  });
  const producers: Producer[] = [];
  const answers: string[] = [];
  for (const offer of offers) {
    const transport = await router.createTransport({ direction: 'publish' });
    transport.on('producer', (p) => producers.push(p));
    answers.push(await transport.handleOffer(offer));
  }
  await load.call({ kind: 'publishAnswers', answers });

  // subscribe: every subscriber consumes every producer
  const subTransports: Transport[] = [];
  const subOffers: string[] = [];
  for (let i = 0; i < cfg.subscribers; i++) {
    const transport = await router.createTransport({ direction: 'subscribe' });
    for (const p of producers) await transport.consume(p.id);
    subTransports.push(transport);
    subOffers.push(await transport.createOffer());
  }
  const { answers: subAnswers } = await load.call<{ answers: string[] }>({
    kind: 'subscribe',
    offers: subOffers,
  });
  await Promise.all(subTransports.map((t, i) => t.handleAnswer(subAnswers[i]!)));
  await load.call({ kind: 'waitConnected' });

  const sampleSfu = async (): Promise<{ inPkts: number; outPkts: number }> => {
    const stats = await Promise.all(producers.map((p) => p.getStats()));
    return {
      inPkts: stats.reduce((s, x) => s + x.rtpPacketsIn, 0),
      outPkts: stats.reduce((s, x) => s + x.rtpPacketsForwarded, 0),
    };
  };

  await load.call({ kind: 'start', audioPps: cfg.audioPps, videoPps: cfg.videoPps });
  await sleep(cfg.warmup * 1000);
  const fwd = await measure(cfg.seconds, sampleSfu, load);
  await Promise.all(producers.map((p) => p.pause()));
  await sleep(500);
  // cumulative totals for loss (nothing is in flight once paused)
  const totals = {
    ...(await sampleSfu()),
    ...(await load.call<LoadCounters>({ kind: 'counters' })),
  };
  const rx = await measure(cfg.seconds, sampleSfu, load);
  await load.call({ kind: 'stop' });
  await sleep(300);
  const idle = await measure(cfg.seconds / 2, sampleSfu, load);
  await worker.close();

  // baseline: plain UDP relay in this process, same rates and fan-out
  const { ports } = await load.call<{ ports: number[] }>({
    kind: 'relayPrepare',
    publishers: cfg.publishers,
    subscribers: cfg.subscribers,
  });
  let relayIn = 0;
  let relayOut = 0;
  const relay = createSocket('udp4');
  relay.on('message', (msg) => {
    relayIn++;
    for (const port of ports) {
      relay.send(msg, port, '127.0.0.1');
      relayOut++;
    }
  });
  await new Promise<void>((resolve) => relay.bind(0, '127.0.0.1', resolve));
  await load.call({
    kind: 'relayStart',
    relayPort: relay.address().port,
    audioPps: cfg.audioPps,
    videoPps: cfg.videoPps,
  });
  await sleep(cfg.warmup * 1000);
  const base = await measure(
    cfg.seconds,
    async () => ({ inPkts: relayIn, outPkts: relayOut }),
    load,
  );
  await load.call({ kind: 'stop' });
  relay.close();
  await load.call({ kind: 'exit' });

  const idleUsPerS = idle.cpuUs / idle.wallS;
  const perIn = (rx.cpuUs - idleUsPerS * rx.wallS) / Math.max(rx.inPkts, 1);
  const perOutMarginal = (fwd.cpuUs - rx.cpuUs * (fwd.wallS / rx.wallS)) / Math.max(fwd.outPkts, 1);
  const perOutAllIn = fwd.cpuUs / Math.max(fwd.outPkts, 1);
  const basePerOut = base.cpuUs / Math.max(base.outPkts, 1);
  const basePerIn = base.cpuUs / Math.max(base.inPkts, 1);
  const lossFwd = 1 - totals.received / Math.max(totals.outPkts, 1);
  const lossIn = 1 - totals.inPkts / Math.max(totals.sent, 1);
  const lossBase = 1 - base.received / Math.max(base.outPkts, 1);

  const row = (name: string, w: Window): string =>
    `${name.padEnd(14)} cpu ${fmt(w.cpuUs / 1e4 / w.wallS)}% of a core | in ${fmt(w.inPkts / w.wallS, 0)} pkt/s | ` +
    `out ${fmt(w.outPkts / w.wallS, 0)} pkt/s | clients sent ${fmt(w.sent / w.wallS, 0)} / received ${fmt(w.received / w.wallS, 0)} pkt/s`;
  console.log(row('forwarding', fwd));
  console.log(row('receive-only', rx));
  console.log(row('idle', idle));
  console.log(row('udp relay', base));
  console.log('');
  console.log(`SFU  fixed cost (idle, connected): ${fmt(idleUsPerS / 1e4)}% of a core`);
  console.log(`SFU  µs CPU per received packet (rx - idle):           ${fmt(perIn)}`);
  console.log(`SFU  µs CPU per forwarded packet, marginal (fwd - rx):  ${fmt(perOutMarginal)}`);
  console.log(`SFU  µs CPU per forwarded packet, all-in:               ${fmt(perOutAllIn)}`);
  console.log(
    `relay µs CPU per forwarded packet: ${fmt(basePerOut, 2)} (per received: ${fmt(basePerIn, 2)})`,
  );
  console.log(`ratio SFU/relay per forwarded packet (all-in): ${fmt(perOutAllIn / basePerOut)}x`);
  console.log(
    `ratio SFU/relay per forwarded packet (marginal): ${fmt(perOutMarginal / basePerOut)}x`,
  );
  console.log(
    `loss (whole forwarding phase): publisher->SFU ${fmt(lossIn * 100, 2)}%, SFU->subscribers ${fmt(lossFwd * 100, 2)}%, relay ${fmt(lossBase * 100, 2)}%`,
  );
  console.log(
    `(probe reference, naive werift SFU on this VM: ~115 µs per received, ~80 µs per forwarded packet)`,
  );
};

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
