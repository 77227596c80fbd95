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
