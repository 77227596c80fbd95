// Part of `npm run bench:e2ee-meeting` (issue 18): what E2EE costs the features that now work
// under it, as ratios of E2EE on to E2EE off in the same run (target: at most 1.5x).
//
// What is measured:
//  - chat: from the sender's device handing a message to its client to the message being in the
//    reader's chat (real bots, real server over loopback WebSockets). Under E2EE that path holds
//    the sender's MLS seal (RFC 9420 §6.3: one Ed25519 signature, AEAD) and the reader's open (one
//    verification, AEAD). One message every 30 ms (the server allows 50 a second per
//    connection), after 10 uncounted warm-up messages; median and p90 of `--chat-rounds` (60).
//    After such a gap this VM runs the same code several times slower than back to back
//    (measured: an Ed25519 signature 35 us back to back, ~150 us after 30 ms idle), with E2EE on
//    and off alike: a person's messages come after idle time too.
//  - breakout rooms: the host opening 2 rooms for 10 bots -> every bot in its room (E2EE on: in
//    its room's MLS group with that room's roster, i.e. able to open its room's frames), from
//    the host's request to the last bot; median of `--move-rounds` (5) after one uncounted
//    round (printed too: the code is cold on every thread then). Per device, each bot's own CPU
//    time and its wait for a free core in that window (Linux schedstat) are printed as well.
//    Two rows: "prepared" (the host planned the rooms first, as the panel does: under E2EE each
//    room's group is built while planning, and timing starts once every bot holds its pending
//    group, so Open costs no MLS work) and "unprepared" (Open clicked with no plan before it:
//    each room's first device starts its group and adds the others' spare KeyPackages at open).
//
// Two set-ups, both printed:
//  - per device (what a person waits for): each bot is its own device in its own worker_thread
//    with its own event loop, so devices work in parallel as real ones do; the server runs on
//    the bench's main thread. Times come from one monotonic clock shared by all threads. This
//    machine's cores are printed: with fewer cores than devices (11 devices on 2 cores here),
//    devices still queue for a core, which devices of a real meeting do not (each bot's wait
//    is printed, from Linux schedstat).
//  - single thread (kept for comparison with earlier sessions): every device and the server on
//    one Node thread, so a breakout move costs the sum of every device's MLS work.
import { availableParallelism, cpus, loadavg } from 'node:os';
import { createMeeting } from '../test/support/browser';
import type { TestServer } from '../test/support/test-server';
import { BenchDevice } from './lib/e2ee-bench-device';
import type { BenchDeviceApi, JoinSpec } from './lib/e2ee-bench-device';
import { ThreadDevice } from './lib/e2ee-device-pool';

/** Gap between chat messages: under the server's 50 messages a second per connection. */
const CHAT_GAP_MS = 30;
const CHAT_WARMUP = 10;

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const quantile = (xs: number[], q: number) =>
  sorted(xs)[Math.min(xs.length - 1, Math.floor(xs.length * q))]!;
const median = (xs: number[]) => quantile(xs, 0.5);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Where the devices of one set-up run. */
interface DeviceSetup {
  readonly label: string;
  /** Device `slot` joins a meeting (a worker_thread is started once per slot and reused). */
  join(slot: number, spec: JoinSpec): Promise<BenchDeviceApi>;
  close(): Promise<void>;
}

/** Every device on this thread (the old set-up). */
export function singleThread(): DeviceSetup {
  return {
    label: 'single thread: every device and the server on one Node thread (sum of all work)',
    join: (_slot, spec) => BenchDevice.join(spec),
    close: async () => undefined,
  };
}

/** Each device in its own worker_thread; the server on this one. */
export function threadPerDevice(): DeviceSetup {
  const threads: ThreadDevice[] = [];
  return {
    label: `per device: each bot in its own worker_thread, the server on the main thread; ${availableParallelism()} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}) shared by up to 11 devices`,
    async join(slot, spec) {
      const t = (threads[slot] ??= new ThreadDevice());
      await t.join(spec);
      return t;
    },
    async close() {
      await Promise.all(threads.map((t) => t.terminate()));
    },
  };
}

/** ms from send to shown on the other device, for each counted message. */
export async function chatLatency(
  server: TestServer,
  setup: DeviceSetup,
  e2ee: boolean,
  rounds: number,
): Promise<number[]> {
  const m = await createMeeting(server.url);
  const host = await setup.join(0, {
    url: server.url,
    meetingId: m.meetingId,
    name: 'Host bot',
    hostKey: m.hostKey,
  });
  const reader = await setup.join(1, { url: server.url, meetingId: m.meetingId, name: 'Reader' });
  if (e2ee) {
    await host.enable();
    await Promise.all([host, reader].map((d) => d.waitRoster(2)));
  }
  const out: number[] = [];
  for (let i = 0; i < CHAT_WARMUP + rounds; i++) {
    const text = `bench message ${i} ${e2ee ? 'sealed' : 'plain'}`;
    const { shown } = await reader.armChat(text);
    const t0 = await host.sendChat(text);
    const ms = (await shown) - t0;
    if (i >= CHAT_WARMUP) out.push(ms);
    await sleep(CHAT_GAP_MS);
  }
  for (const d of [host, reader]) await d.leave();
  return out;
}

export interface MoveResult {
  /** ms from the host's request to the last bot in its room (and its room's group). */
  ms: number;
  /** The most CPU time one device used in that window (per-device set-up only). */
  maxCpuMs: number;
  /** The longest one device waited for a free core in that window (per-device set-up only). */
  maxWaitMs: number;
  /** Median over the bots of the ms from a bot's own `breakout.moved` to it being in its room. */
  afterMovedMs: number;
  /**
   * CPU time of the whole process (server, SFU workers, every device thread) from the host's
   * request to the last bot in its room: what the move costs this machine's cores in all.
   */
  processCpuMs: number;
}

/**
 * How the host opens the rooms: `prepared` plans them first, as the panel does (under E2EE the
 * rooms' groups are built meanwhile, bench waits until every bot holds its pending group);
 * `unprepared` clicks Open with no plan before it.
 */
export type MoveMode = 'prepared' | 'unprepared';

export async function breakoutMove(
  server: TestServer,
  setup: DeviceSetup,
  e2ee: boolean,
  mode: MoveMode = 'prepared',
): Promise<MoveResult> {
  const m = await createMeeting(server.url);
  const spec = (name: string): JoinSpec => ({ url: server.url, meetingId: m.meetingId, name });
  const host = await setup.join(0, { ...spec('Host bot'), hostKey: m.hostKey });
  const bots: BenchDeviceApi[] = [];
  for (let i = 0; i < 10; i++) bots.push(await setup.join(i + 1, spec(`Bot ${i}`)));
  if (e2ee) {
    await host.enable();
    await Promise.all([host, ...bots].map((d) => d.waitRoster(11)));
    // Devices upload a spare KeyPackage after joining (a host assigns rooms seconds later).
    await Promise.all([host, ...bots].map((d) => d.spareUploaded()));
  }
  if (mode === 'prepared') {
    // The host plans first, as the panel does (off: nothing to prepare, the plan id is null).
    const planId = await host.prepareBreakouts();
    if (e2ee && !planId) throw new Error('no breakout plan under E2EE');
    if (planId) await Promise.all(bots.map((b) => b.waitPrepared(planId)));
  }
  const armed = await Promise.all(bots.map((b) => b.armMove(e2ee)));
  const cpu0 = process.cpuUsage();
  const t0 = await host.openBreakouts();
  const done = await Promise.all(armed.map((a) => a.done));
  const cpu = process.cpuUsage(cpu0);
  const processCpuMs = (cpu.user + cpu.system) / 1000;
  const ms = Math.max(...done.map((d) => d.at)) - t0;
  const maxCpuMs = Math.max(...done.map((d) => d.cpuMs));
  const maxWaitMs = Math.max(...done.map((d) => d.waitMs));
  const afterMovedMs = median(done.map((d) => d.afterMovedMs));
  for (const d of [host, ...bots]) await d.leave();
  return { ms, maxCpuMs, maxWaitMs, afterMovedMs, processCpuMs };
}

const f1 = (x: number) => x.toFixed(1);
const f0 = (x: number) => x.toFixed(0);

async function chatRow(server: TestServer, setup: DeviceSetup, rounds: number): Promise<void> {
  const off = await chatLatency(server, setup, false, rounds);
  const on = await chatLatency(server, setup, true, rounds);
  const [mOff, mOn, pOff, pOn] = [median(off), median(on), quantile(off, 0.9), quantile(on, 0.9)];
  console.log(
    `  chat send -> shown (${rounds} messages): E2EE off median ${f1(mOff)} ms, p90 ${f1(pOff)}; ` +
      `on median ${f1(mOn)} ms, p90 ${f1(pOn)}; ratio median ${(mOn / mOff).toFixed(2)}x, ` +
      `p90 ${(pOn / pOff).toFixed(2)}x (target <= 1.5x)`,
  );
}

async function moveRow(
  server: TestServer,
  setup: DeviceSetup,
  rounds: number,
  perDevice: boolean,
  mode: MoveMode,
): Promise<void> {
  const off: MoveResult[] = [];
  const on: MoveResult[] = [];
  // One uncounted round first: its code is cold on every device's thread (printed below).
  const first = [
    await breakoutMove(server, setup, false, mode),
    await breakoutMove(server, setup, true, mode),
  ];
  for (let i = 0; i < rounds; i++) {
    off.push(await breakoutMove(server, setup, false, mode));
    on.push(await breakoutMove(server, setup, true, mode));
  }
  const ms = (rs: MoveResult[]) => rs.map((r) => r.ms);
  const list = (rs: MoveResult[]) => ms(rs).map(f0).join(', ');
  const cpu = (rs: MoveResult[]) => f1(median(rs.map((r) => r.maxCpuMs)));
  const wait = (rs: MoveResult[]) => f1(median(rs.map((r) => r.maxWaitMs)));
  const own = (rs: MoveResult[]) => f1(median(rs.map((r) => r.afterMovedMs)));
  const all = (rs: MoveResult[]) => f1(median(rs.map((r) => r.processCpuMs)));
  const label =
    mode === 'prepared'
      ? 'prepared: the host planned rooms first, as the panel does'
      : 'unprepared: Open clicked with no plan before it';
  console.log(
    `  10 bots into 2 breakout rooms (${label}): E2EE off median ${f0(median(ms(off)))} ms (${list(off)}), ` +
      `on ${f0(median(ms(on)))} ms (${list(on)}) [on = every bot in its room's MLS group]; ` +
      `ratio ${(median(ms(on)) / median(ms(off))).toFixed(2)}x (target <= 1.5x); ` +
      `uncounted first round: off ${f0(first[0]!.ms)} ms, on ${f0(first[1]!.ms)} ms` +
      (perDevice
        ? `\n    most CPU one bot used meanwhile: off ${cpu(off)} ms, on ${cpu(on)} ms; longest a bot waited for a free core: off ${wait(off)} ms, on ${wait(on)} ms; a bot in its room after its own move: off ${own(off)} ms, on ${own(on)} ms; CPU of the whole process (server, SFU, every device) meanwhile: off ${all(off)} ms, on ${all(on)} ms (medians)`
        : ''),
  );
}

export async function featuresBench(
  server: TestServer,
  opts: { chatRounds: number; moveRounds: number; setups?: string[]; moveModes?: MoveMode[] },
): Promise<void> {
  const load = () =>
    loadavg()
      .map((x) => x.toFixed(2))
      .join(' ');
  console.log(`Features under E2EE (issue 18); load average at start ${load()}`);
  for (const [setup, perDevice] of [
    [threadPerDevice(), true],
    [singleThread(), false],
  ] as const) {
    if (opts.setups && !opts.setups.includes(perDevice ? 'device' : 'single')) continue;
    console.log(`- ${setup.label}`);
    try {
      if (opts.chatRounds > 0) await chatRow(server, setup, opts.chatRounds);
      if (opts.moveRounds > 0) {
        for (const mode of opts.moveModes ?? (['prepared', 'unprepared'] as const))
          await moveRow(server, setup, opts.moveRounds, perDevice, mode);
      }
    } finally {
      await setup.close();
    }
  }
  console.log(`  load average at end ${load()}`);
}
