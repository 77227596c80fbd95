import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TwccResponder } from './twcc-responder';

describe('transport-cc responders of one media worker', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('every publisher gets its feedback each 100 ms from one shared timer (one wake-up, not one per publisher)', () => {
    const sent: Buffer[][] = [[], [], []];
    const responders = sent.map((out, i) => new TwccResponder(i + 1, (p) => out.push(p)));
    expect(vi.getTimerCount()).toBe(1);
    responders.forEach((r, i) => {
      r.onPacket(100, 1000 + i, 5);
      r.onPacket(101, 1000 + i, 6);
    });
    vi.advanceTimersByTime(100);
    expect(sent.map((out) => out.length)).toEqual([1, 1, 1]);
    // each feedback names its own transport's sender SSRC (RFC 4585 §6.1)
    expect(sent.map((out) => out[0]!.readUInt32BE(4))).toEqual([1, 2, 3]);
    vi.advanceTimersByTime(100);
    expect(sent.map((out) => out.length)).toEqual([1, 1, 1]); // nothing new arrived
    for (const r of responders) r.close();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a closed responder sends nothing more, and the timer stops with the last one', () => {
    const a: Buffer[] = [];
    const b: Buffer[] = [];
    const ra = new TwccResponder(1, (p) => a.push(p));
    const rb = new TwccResponder(2, (p) => b.push(p));
    ra.onPacket(1, 9, 0);
    rb.onPacket(1, 9, 0);
    ra.close();
    vi.advanceTimersByTime(100);
    expect([a.length, b.length]).toEqual([0, 1]);
    rb.close();
    expect(vi.getTimerCount()).toBe(0);
  });

  it("one transport's failing send does not hold back the others' feedback", () => {
    const ok: Buffer[] = [];
    const bad = new TwccResponder(1, () => {
      throw new Error('socket gone');
    });
    const good = new TwccResponder(2, (p) => ok.push(p));
    bad.onPacket(1, 9, 0);
    good.onPacket(1, 9, 0);
    vi.advanceTimersByTime(100);
    expect(ok.length).toBe(1);
    bad.close();
    good.close();
  });
});
