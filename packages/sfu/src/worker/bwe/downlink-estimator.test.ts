import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DownlinkEstimator } from './downlink-estimator';

/**
 * A bottleneck link in simulation: a FIFO served at `capacity` bits/s with 20 ms propagation,
 * tail-dropping what would wait longer than `maxQueueMs` (what `tc tbf` does), plus random loss.
 */
class Link {
  #busyUntil = 0;
  constructor(
    public capacity: number,
    public maxQueueMs = 200,
    public randomLoss = 0,
  ) {}
  /** Arrival time, or NaN if dropped. */
  send(atMs: number, bytes: number, rand: () => number): number {
    const start = Math.max(atMs, this.#busyUntil);
    if (start - atMs > this.maxQueueMs || rand() < this.randomLoss) return Number.NaN;
    this.#busyUntil = start + (bytes * 8 * 1000) / this.capacity;
    return this.#busyUntil + 20;
  }
}

/** Sends at `rate()` bits/s over `link` for `ms`, feedback every 100 ms; returns the estimator. */
const run = (
  est: DownlinkEstimator,
  link: Link,
  rate: () => number,
  ms: number,
  clock: { now: number; seq: number },
  onStep?: (now: number) => void,
) => {
  let seed = 42;
  const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const pending: { seq: number; arrival: number }[] = [];
  const end = clock.now + ms;
  let nextFeedback = clock.now + 100;
  while (clock.now < end) {
    const bytes = 1200;
    const arrival = link.send(clock.now, bytes, rand);
    est.onPacketSent(clock.seq, bytes, clock.now);
    pending.push({ seq: clock.seq, arrival });
    clock.seq = (clock.seq + 1) & 0xffff;
    clock.now += (bytes * 8 * 1000) / rate();
    if (clock.now >= nextFeedback) {
      // the receiver reports what has arrived (and the holes before it) by now
      const ready = pending.filter((p) => Number.isNaN(p.arrival) || p.arrival <= clock.now);
      const cut = ready.length;
      const batch = pending.splice(0, cut);
      if (batch.length > 0) {
        est.onFeedback(
          {
            sequenceNumbers: batch.map((p) => p.seq),
            // the receiver's clock is 5 s off: only differences matter
            receivedAtMs: batch.map((p) => p.arrival + 5000),
          },
          clock.now,
        );
      }
      nextFeedback += 100;
      onStep?.(clock.now);
    }
  }
};

describe('downlink estimator (GCC-style delay + loss, from transport-cc feedback)', () => {
  it('sending 1 Mbit/s into a 400 kbit/s link: the estimate falls under 400 kbit/s within 3 s', () => {
    const est = new DownlinkEstimator();
    const clock = { now: 1000, seq: 65000 };
    const link = new Link(400_000);
    let underAt = Infinity;
    run(
      est,
      link,
      () => 1_000_000,
      5000,
      clock,
      (now) => {
        if (underAt === Infinity && (est.estimate ?? Infinity) < 400_000) underAt = now;
      },
    );
    expect(underAt - 1000).toBeLessThan(3000);
    expect(est.estimate).toBeGreaterThan(150_000);
    expect(est.state.overuses).toBeGreaterThan(0);
  });

  it('sending within the link keeps a calm estimate; 2 % random loss does not lower it', () => {
    const est = new DownlinkEstimator();
    const clock = { now: 1000, seq: 0 };
    run(est, new Link(2_000_000, 200, 0.02), () => 600_000, 10_000, clock);
    expect(est.estimate).toBeGreaterThan(700_000);
    expect(est.state.overuses).toBe(0);
  });

  it('after a cap is lifted, the estimate grows past 1.3 Mbit/s within 15 s as the sender follows it', () => {
    const est = new DownlinkEstimator();
    const clock = { now: 1000, seq: 0 };
    const link = new Link(400_000);
    run(est, link, () => 600_000, 5000, clock);
    expect(est.estimate).toBeLessThan(400_000);
    link.capacity = 5_000_000;
    // the allocation upgrades as the estimate allows: the sender sends 90 % of the estimate
    const start = clock.now;
    let reachedAt = Infinity;
    run(
      est,
      link,
      () => Math.max(300_000, (est.estimate ?? 0) * 0.9),
      15_000,
      clock,
      (now) => {
        if (reachedAt === Infinity && (est.estimate ?? 0) > 1_300_000) reachedAt = now;
      },
    );
    expect(reachedAt - start).toBeLessThan(15_000);
  });

  it('heavy loss (20 %) lowers the estimate even without queuing', () => {
    const est = new DownlinkEstimator();
    const clock = { now: 1000, seq: 0 };
    run(est, new Link(10_000_000, 200, 0), () => 800_000, 3000, clock);
    const before = est.estimate!;
    run(est, new Link(10_000_000, 200, 0.2), () => 800_000, 3000, clock);
    expect(est.estimate!).toBeLessThan(before * 0.7);
  });

  it('without a probe the estimate grows no further than 1.5 x what arrives (+50 kbit/s)', () => {
    const est = new DownlinkEstimator();
    const clock = { now: 1000, seq: 0 };
    let max = 0;
    run(
      est,
      new Link(10_000_000),
      () => 300_000,
      20_000,
      clock,
      () => {
        max = Math.max(max, est.estimate ?? 0);
      },
    );
    expect(max).toBeLessThanOrEqual(1.5 * 300_000 + 50_000 + 1000);
    expect(est.estimate).toBeGreaterThan(400_000);
  });

  const probe = (
    est: DownlinkEstimator,
    link: Link,
    clock: { now: number; seq: number },
    base: number,
    target: number,
  ) => {
    const id = est.startProbe();
    run(est, link, () => target, 600, clock);
    est.endProbe(clock.now);
    run(est, link, () => base, 1000, clock);
    return est.probeOutcome(id, clock.now);
  };

  it('a probe that arrives at its rate raises the estimate to it at once', () => {
    const est = new DownlinkEstimator();
    const clock = { now: 1000, seq: 0 };
    const link = new Link(10_000_000);
    run(est, link, () => 300_000, 3000, clock);
    expect(est.estimate).toBeLessThan(600_000);
    expect(probe(est, link, clock, 300_000, 1_500_000)).toBe('success');
    expect(est.estimate).toBeGreaterThan(1_300_000);
  });

  it('a probe into a capped link fails and leaves the estimate under the cap', () => {
    const est = new DownlinkEstimator();
    const clock = { now: 1000, seq: 0 };
    const link = new Link(400_000, 500);
    run(est, link, () => 300_000, 3000, clock);
    expect(probe(est, link, clock, 300_000, 1_000_000)).toBe('failure');
    run(est, link, () => 300_000, 1000, clock);
    expect(est.estimate).toBeLessThan(450_000);
  });

  it('property: a probe succeeds exactly when the link carries its rate', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 300_000, max: 5_000_000 }),
        fc.integer({ min: 400_000, max: 3_000_000 }),
        (capacity, target) => {
          // clear cases only: the link is 30 % above or below the probe
          fc.pre(capacity > target * 1.3 || capacity < target / 1.3);
          fc.pre(capacity > 250_000 * 1.3);
          const est = new DownlinkEstimator();
          const clock = { now: 1000, seq: 0 };
          const link = new Link(capacity, 500);
          run(est, link, () => 250_000, 2000, clock);
          const outcome = probe(est, link, clock, 250_000, target);
          expect(outcome).toBe(capacity > target ? 'success' : 'failure');
        },
      ),
      { numRuns: 40 },
    );
  });

  it('a sequence number reported twice counts once (a late copy would show the first send time as delay)', () => {
    const est = new DownlinkEstimator();
    const clock = { now: 1000, seq: 0 };
    run(est, new Link(10_000_000), () => 500_000, 3000, clock);
    const before = est.state;
    // the feedback repeats packets sent 2 s ago, as arriving now
    const old = Array.from({ length: 50 }, (_, i) => (clock.seq - 300 + i) & 0xffff);
    est.onFeedback(
      { sequenceNumbers: old, receivedAtMs: old.map(() => clock.now + 5000) },
      clock.now,
    );
    expect(est.state.queuingDelayMs).toBe(before.queuingDelayMs);
    expect(est.state.overuses).toBe(0);
  });

  it('3 % random loss (a radio link) does not stop the estimate from growing with what is sent', () => {
    const est = new DownlinkEstimator();
    const clock = { now: 1000, seq: 0 };
    run(
      est,
      new Link(5_000_000, 200, 0.03),
      () => Math.max(300_000, (est.estimate ?? 0) * 0.9),
      10_000,
      clock,
    );
    expect(est.estimate).toBeGreaterThan(1_000_000);
  });
});
