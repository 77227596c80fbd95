import { afterEach, describe, expect, it } from 'vitest';
import type { ProbeOutcome } from './downlink-estimator';
import { ProbeController, PROBE_DURATION_MS, type ProbeHost } from './probe-controller';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A subscriber sending 300 kbit/s whose tiles want 1.2 Mbit/s. */
const host = (over: Partial<ProbeHost> = {}) => {
  const calls = { started: 0, ended: 0, padding: 0 };
  let outcome: ProbeOutcome = 'pending';
  const h: ProbeHost = {
    estimate: () => 400_000,
    sendRate: () => 300_000,
    desired: () => 1_200_000,
    queuingDelayMs: () => 0,
    lastOveruseMs: () => Number.NEGATIVE_INFINITY,
    startProbe: () => ++calls.started,
    endProbe: () => void calls.ended++,
    probeOutcome: () => outcome,
    sendPadding: (bytes) => {
      calls.padding += bytes;
      return bytes;
    },
    ...over,
  };
  return { h, calls, settle: (o: ProbeOutcome) => (outcome = o) };
};

describe('ProbeController: padding probes before any upgrade', () => {
  const controllers: ProbeController[] = [];
  afterEach(() => {
    for (const c of controllers.splice(0)) c.close();
  });
  const make = (h: ProbeHost) => {
    const c = new ProbeController(h);
    controllers.push(c);
    return c;
  };

  it('pads up to the target (desired + 10 %, at most 2x the send rate) for 600 ms, then waits for the outcome', async () => {
    const { h, calls } = host();
    const c = make(h);
    c.tick(performance.now());
    expect(c.probing).toBe(true);
    await sleep(PROBE_DURATION_MS + 150);
    expect(c.probing).toBe(false);
    expect(calls.ended).toBe(1);
    // target min(1.32 M, 600 k) = 600 kbit/s: 300 kbit/s of padding for 0.6 s = 22.5 kB
    expect(calls.padding).toBeGreaterThan(17_000);
    expect(calls.padding).toBeLessThan(25_000);
    c.tick(performance.now());
    expect(c.probing).toBe(false); // outcome still pending
  });

  it('does not probe when the allocation wants no more than the estimate, after a recent overuse, or with a queue', () => {
    for (const over of [
      { desired: () => 300_000 },
      { lastOveruseMs: () => performance.now() - 500 },
      { queuingDelayMs: () => 40 },
      { estimate: () => null },
    ] satisfies Partial<ProbeHost>[]) {
      const c = make(host(over).h);
      c.tick(performance.now());
      expect(c.probing).toBe(false);
    }
  });

  it('stops as soon as the queue grows: the link is full', async () => {
    let queue = 0;
    const { h, calls } = host({ queuingDelayMs: () => queue });
    const c = make(h);
    c.tick(performance.now());
    await sleep(100);
    queue = 45;
    await sleep(60);
    expect(c.probing).toBe(false);
    expect(calls.padding).toBeLessThan(15_000);
  });

  it('after a failure waits 2 s before the next probe; after a success 500 ms', async () => {
    const failing = host();
    const c = make(failing.h);
    const t0 = performance.now();
    c.tick(t0);
    await sleep(PROBE_DURATION_MS + 50);
    failing.settle('failure');
    const t1 = performance.now();
    c.tick(t1);
    expect(c.probing).toBe(false);
    c.tick(t1 + 1900);
    expect(c.probing).toBe(false);
    c.tick(t1 + 2100);
    expect(c.probing).toBe(true);
    c.close();

    const ok = host();
    const d = make(ok.h);
    d.tick(performance.now());
    await sleep(PROBE_DURATION_MS + 50);
    ok.settle('success');
    const t2 = performance.now();
    d.tick(t2);
    expect(d.stats.succeeded).toBe(1);
    d.tick(t2 + 600);
    expect(d.probing).toBe(true);
  });
});
