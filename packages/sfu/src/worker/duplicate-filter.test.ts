import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DUPLICATE_WINDOW, DuplicateFilter } from './duplicate-filter';

const SSRC = 0x1234;

/** The filter's answers for `seqs` of one SSRC, in order. */
const arrivals = (filter: DuplicateFilter, seqs: number[], ssrc = SSRC): boolean[] =>
  seqs.map((seq) => filter.firstArrival(ssrc, seq));

describe('DuplicateFilter: RTP packets that arrived already', () => {
  it('takes a sequence number once, and a copy of it not again', () => {
    const f = new DuplicateFilter();
    expect(arrivals(f, [100, 101, 102])).toEqual([true, true, true]);
    expect(arrivals(f, [101, 102, 100, 102])).toEqual([false, false, false, false]);
    expect(arrivals(f, [103])).toEqual([true]);
  });

  it('takes a late packet (reordered, or repaired from RTX) once: skipped numbers did not arrive', () => {
    const f = new DuplicateFilter();
    expect(arrivals(f, [10, 14, 15])).toEqual([true, true, true]);
    expect(arrivals(f, [12, 11, 13])).toEqual([true, true, true]);
    expect(arrivals(f, [11, 12, 13, 14])).toEqual([false, false, false, false]);
  });

  it('follows the 16-bit sequence number across its wrap (RFC 3550 §A.1)', () => {
    const f = new DuplicateFilter();
    expect(arrivals(f, [65533, 65535, 0, 1])).toEqual([true, true, true, true]);
    expect(arrivals(f, [65535, 0, 65533])).toEqual([false, false, false]);
    expect(arrivals(f, [65534])).toEqual([true]);
    // behind the highest across the wrap, within the window
    expect(arrivals(f, [3, 2, 65535 - 500, 65535 - 500])).toEqual([true, true, true, false]);
  });

  it('forgets what left the window: a bit reused WINDOW numbers later is fresh', () => {
    const f = new DuplicateFilter();
    const start = 65000;
    for (let i = 0; i <= DUPLICATE_WINDOW; i++) f.firstArrival(SSRC, (start + i) & 0xffff);
    // start + WINDOW (same bit as start) arrived last; start is now too old to tell
    expect(f.firstArrival(SSRC, (start + DUPLICATE_WINDOW) & 0xffff)).toBe(false);
    expect(f.firstArrival(SSRC, start)).toBe(false);
    // numbers skipped by a jump of just under the window are not taken for those of their bits
    const g = new DuplicateFilter();
    expect(arrivals(g, [0, 1, 2, DUPLICATE_WINDOW + 1])).toEqual([true, true, true, true]);
    expect(arrivals(g, [DUPLICATE_WINDOW, 3])).toEqual([true, true]); // WINDOW: 0's bit
    expect(arrivals(g, [2])).toEqual([false]); // still in the window, and known
    expect(arrivals(g, [1])).toEqual([false]); // left it: too old to tell
  });

  it('a big jump ahead starts a clear window; what was before it is too old and dropped', () => {
    const f = new DuplicateFilter();
    expect(arrivals(f, [1000, 1001, 1002])).toEqual([true, true, true]);
    expect(arrivals(f, [9000])).toEqual([true]);
    expect(arrivals(f, [8999, 9000 - DUPLICATE_WINDOW + 1, 9001])).toEqual([true, true, true]);
    expect(arrivals(f, [1001])).toEqual([false]);
    expect(arrivals(f, [9001, 8999])).toEqual([false, false]);
  });

  it('a sender that restarts its numbers far behind is followed from its second packet (RFC 3550 §A.1 bad_seq)', () => {
    const f = new DuplicateFilter();
    expect(arrivals(f, [40000, 40001])).toEqual([true, true]);
    expect(arrivals(f, [30000])).toEqual([false]);
    expect(arrivals(f, [30001, 30002, 30001])).toEqual([true, true, false]);
    // and a lone stale copy far behind does not move the window
    expect(arrivals(f, [20000, 30003, 20002])).toEqual([false, true, false]);
    expect(arrivals(f, [30002])).toEqual([false]);
  });

  it('a new SSRC starts over', () => {
    const f = new DuplicateFilter();
    expect(arrivals(f, [7, 8], 1)).toEqual([true, true]);
    expect(arrivals(f, [7, 8], 2)).toEqual([true, true]);
    expect(arrivals(f, [8], 2)).toEqual([false]);
    expect(arrivals(f, [8], 1)).toEqual([true]);
  });

  it('within the window, answers as a set of every number that arrived (random reordering and gaps)', () => {
    fc.assert(
      fc.property(
        fc.nat(0xffff),
        fc.array(fc.integer({ min: -(DUPLICATE_WINDOW - 1), max: 3000 }), { maxLength: 400 }),
        (first, steps) => {
          const f = new DuplicateFilter();
          // extended (unwrapped) sequence numbers: never older than the window
          const seen = new Set<number>([first]);
          let highest = first;
          f.firstArrival(SSRC, first & 0xffff);
          for (const step of steps) {
            const ext = highest + step;
            expect(f.firstArrival(SSRC, ext & 0xffff)).toBe(!seen.has(ext));
            seen.add(ext);
            highest = Math.max(highest, ext);
          }
        },
      ),
    );
  });
});
