import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KeyframeLimiter } from './keyframe-limiter';

describe('KeyframeLimiter', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const setup = (interval = 1000, burst = 1) => {
    let sent = 0;
    const limiter = new KeyframeLimiter(
      interval,
      () => sent++,
      () => Date.now(),
      burst,
    );
    return { limiter, sent: () => sent };
  };

  it('sends the first request at once', () => {
    const { limiter, sent } = setup();
    limiter.request();
    expect(sent()).toBe(1);
  });

  it('coalesces requests in the cooldown into exactly one send at its end', () => {
    const { limiter, sent } = setup();
    limiter.request();
    vi.advanceTimersByTime(100);
    for (let i = 0; i < 50; i++) limiter.request();
    expect(sent()).toBe(1);
    vi.advanceTimersByTime(899);
    expect(sent()).toBe(1);
    vi.advanceTimersByTime(1);
    expect(sent()).toBe(2);
    vi.advanceTimersByTime(5000);
    expect(sent()).toBe(2);
  });

  it('never exceeds one send per interval under continuous requests', () => {
    const { limiter, sent } = setup(1000);
    for (let t = 0; t < 10_000; t += 10) {
      limiter.request();
      vi.advanceTimersByTime(10);
    }
    expect(sent()).toBeLessThanOrEqual(11);
    expect(sent()).toBeGreaterThanOrEqual(10);
  });

  it('with a burst of 2: two at once, then one per interval, and two again after a quiet spell', () => {
    const { limiter, sent } = setup(1000, 2);
    limiter.request();
    limiter.request();
    expect(sent()).toBe(2);
    limiter.request();
    expect(sent()).toBe(2);
    vi.advanceTimersByTime(1000);
    expect(sent()).toBe(3);
    for (let t = 0; t < 10_000; t += 10) {
      limiter.request();
      vi.advanceTimersByTime(10);
    }
    expect(sent()).toBeLessThanOrEqual(3 + 11);
    expect(sent()).toBeGreaterThanOrEqual(3 + 9);
    vi.advanceTimersByTime(5000);
    const before = sent();
    limiter.request();
    limiter.request();
    expect(sent()).toBe(before + 2);
  });

  it('sends nothing after close, even a scheduled request', () => {
    const { limiter, sent } = setup();
    limiter.request();
    limiter.request();
    limiter.close();
    vi.advanceTimersByTime(2000);
    limiter.request();
    expect(sent()).toBe(1);
  });
});
