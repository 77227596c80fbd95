import { describe, expect, it } from 'vitest';
import { parseTwcc } from './twcc-feedback';

describe('transport-cc feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1)', () => {
  it('reads run-length and both status vector forms, losses, and signed 250 us deltas', () => {
    const raw = Buffer.from([
      ...[0, 0, 0, 1], // sender SSRC
      ...[0, 0, 0, 2], // media SSRC
      0xff,
      0xfe, // base sequence number 65534
      0,
      10, // packet status count
      0,
      0,
      2, // reference time: 2 x 64 ms
      7, // feedback packet count
      0x20,
      0x02, // run length: status 1 (small delta) x 2 -> 65534, 65535
      0xc9,
      0x40, // two-bit vector: 0 (lost), 2 (large), 1, 1, 0, 0, 0 -> seq 0 .. 6
      0xa0,
      0x00, // one-bit vector: 1, 0, ... -> the 10th status (seq 7): received
      4, // +1 ms
      1, // +0.25 ms
      0xff,
      0xfe, // -0.5 ms (large, signed)
      3, // +0.75 ms
      0, // +0
      2, // +0.5 ms
    ]);
    const r = parseTwcc(raw)!;
    expect(r.sequenceNumbers).toEqual([65534, 65535, 0, 1, 2, 3, 4, 5, 6, 7]);
    const t = r.receivedAtMs;
    expect(t[0]).toBeCloseTo(129);
    expect(t[1]).toBeCloseTo(129.25);
    expect(Number.isNaN(t[2]!)).toBe(true);
    expect(t[3]).toBeCloseTo(128.75);
    expect(t[4]).toBeCloseTo(129.5);
    expect(t[5]).toBeCloseTo(129.5);
    expect(Number.isNaN(t[6]!)).toBe(true);
    expect(Number.isNaN(t[7]!)).toBe(true);
    expect(Number.isNaN(t[8]!)).toBe(true);
    expect(t[9]).toBeCloseTo(130);
  });

  it('a truncated packet is refused, not misread', () => {
    expect(
      parseTwcc(Buffer.from([0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 0, 0x20, 0x03])),
    ).toBe(undefined);
  });
});

describe('transport-cc feedback to publishers', () => {
  it('what the responder builds parses back to the same arrivals (losses included)', async () => {
    const { buildTwccFeedback } = await import('./twcc-responder');
    const arrivals = [
      { seq: 65533, atMs: 1000.25 },
      { seq: 65534, atMs: 1001 },
      { seq: 65537, atMs: 999.5 }, // reordered in time: a negative delta
      { seq: 65540, atMs: 1100 }, // 99 ms later: a large delta
    ];
    const raw = buildTwccFeedback(1, 2, 3, arrivals)!;
    expect(raw.length % 4).toBe(0);
    expect(raw[1]).toBe(205);
    const r = parseTwcc(raw.subarray(4))!;
    expect(r.sequenceNumbers).toEqual([65533, 65534, 65535, 0, 1, 2, 3, 4].map((s) => s & 0xffff));
    const got = r.receivedAtMs.map((t) => (Number.isNaN(t) ? null : t));
    expect(got[0]! - got[1]!).toBeCloseTo(-0.75);
    expect(got.slice(2, 4)).toEqual([null, null]);
    expect(got[4]! - got[1]!).toBeCloseTo(-1.5);
    expect(got[7]! - got[4]!).toBeCloseTo(100.5);
  });
});
