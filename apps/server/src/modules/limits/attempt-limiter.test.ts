import { describe, expect, it } from 'vitest';
import { AttemptLimiter } from './attempt-limiter';
import { MemoryAttemptStore } from './attempt-store';

const policy = { freeFailures: 3, baseDelayMs: 1000, maxDelayMs: 8000, forgetAfterMs: 60_000 };

function setup() {
  let now = 1_000_000;
  const clock = { now: () => now, advance: (ms: number) => (now += ms) };
  const store = new MemoryAttemptStore(clock.now);
  return { clock, store, limiter: new AttemptLimiter(store, policy, clock.now) };
}

describe('AttemptLimiter', () => {
  it('lets the free failures through, then makes each next attempt wait twice as long', async () => {
    const { clock, limiter } = setup();
    for (let i = 0; i < 3; i++) expect(await limiter.fail('k')).toBe(0);
    expect(await limiter.waitMs('k')).toBe(0);
    expect(await limiter.fail('k')).toBe(1000);
    expect(await limiter.waitMs('k')).toBe(1000);
    clock.advance(999);
    expect(await limiter.waitMs('k')).toBe(1);
    clock.advance(1);
    expect(await limiter.waitMs('k')).toBe(0);
    expect(await limiter.fail('k')).toBe(2000);
    expect(await limiter.fail('k')).toBe(4000);
    expect(await limiter.fail('k')).toBe(8000);
    expect(await limiter.fail('k')).toBe(8000); // capped
  });

  it('keys are independent and forgotten after a quiet period', async () => {
    const { clock, limiter } = setup();
    for (let i = 0; i < 5; i++) await limiter.fail('a');
    expect(await limiter.waitMs('a')).toBeGreaterThan(0);
    expect(await limiter.waitMs('b')).toBe(0);
    clock.advance(60_000);
    expect(await limiter.waitMs('a')).toBe(0);
    expect(await limiter.fail('a')).toBe(0); // counting starts again
  });

  it('the in-memory store stays bounded under a flood of distinct keys', async () => {
    let now = 0;
    const store = new MemoryAttemptStore(() => now, 1000);
    for (let i = 0; i < 5000; i++) await store.addFailure(`k${i}`, now++, 60_000);
    expect(store.size).toBeLessThanOrEqual(1000);
  });
});
