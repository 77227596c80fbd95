// Tiny timing helpers for bench/e2ee.bench.ts: interleaved rounds so that a baseline and its
// candidate see the same machine load (this box has 2 shared cores).

export type Op = () => Promise<unknown>;

interface CpuUsage {
  user: number;
  system: number;
}

export interface Timing {
  /** Wall-clock µs per call. */
  wall: number;
  /** Process CPU µs per call (all threads: includes WebCrypto's thread pool). */
  cpu: number;
}

/** Mean microseconds per call of `op` over about `ms` milliseconds. */
export async function timeOp(op: Op, ms: number): Promise<Timing> {
  // Calibrate a batch that takes ~5 ms so timer overhead stays negligible.
  let batch = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) await op();
    if (performance.now() - t0 > 5 || batch > 1 << 20) break;
    batch *= 2;
  }
  let calls = 0;
  // Browsers have no process CPU clock: cpu is NaN there.
  const proc = (globalThis as { process?: { cpuUsage(prev?: CpuUsage): CpuUsage } }).process;
  const cpu0 = proc?.cpuUsage();
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < batch; i++) await op();
    calls += batch;
    now = performance.now();
  }
  const cpu = proc && cpu0 ? proc.cpuUsage(cpu0) : undefined;
  return { wall: ((now - start) * 1000) / calls, cpu: cpu ? (cpu.user + cpu.system) / calls : NaN };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export interface Comparison {
  base: Timing;
  cand: Timing;
  /** Median over rounds of the per-round candidate/baseline ratio. */
  wallRatio: number;
  cpuRatio: number;
}

/**
 * Runs baseline and candidate alternately for `rounds` short rounds and takes medians, so load
 * spikes from other processes hit both sides alike.
 */
export async function compare(
  baseline: Op,
  candidate: Op,
  { rounds = 15, ms = 120 } = {},
): Promise<Comparison> {
  const b: Timing[] = [];
  const c: Timing[] = [];
  await timeOp(baseline, 50);
  await timeOp(candidate, 50);
  for (let r = 0; r < rounds; r++) {
    b.push(await timeOp(baseline, ms));
    c.push(await timeOp(candidate, ms));
  }
  return {
    base: { wall: median(b.map((t) => t.wall)), cpu: median(b.map((t) => t.cpu)) },
    cand: { wall: median(c.map((t) => t.wall)), cpu: median(c.map((t) => t.cpu)) },
    wallRatio: median(c.map((t, i) => t.wall / b[i]!.wall)),
    cpuRatio: median(c.map((t, i) => t.cpu / b[i]!.cpu)),
  };
}

export async function timeOnce<T>(f: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await f();
  return { ms: performance.now() - t0, value };
}

export const fmt = (n: number, digits = 1): string => n.toFixed(digits);
