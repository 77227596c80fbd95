import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isE2eeError } from '../errors';
import { decodeHeader, encodeHeader, headerLength, MAX_U64 } from './header';

const u64 = fc.bigInt({ min: 0n, max: MAX_U64 });

describe('SFrame header (RFC 9605 §4.3)', () => {
  it('round-trips any KID and CTR up to 2^64-1', () => {
    fc.assert(
      fc.property(u64, u64, (kid, ctr) => {
        const enc = encodeHeader(kid, ctr);
        expect(enc.length).toBe(headerLength(kid, ctr));
        const dec = decodeHeader(enc);
        expect(dec).toEqual({ kid, ctr, length: enc.length });
      }),
      { numRuns: 2000 },
    );
  });

  it('decodes only the header prefix of a longer buffer', () => {
    fc.assert(
      fc.property(u64, u64, fc.uint8Array({ maxLength: 40 }), (kid, ctr, tail) => {
        const enc = encodeHeader(kid, ctr);
        const buf = new Uint8Array(enc.length + tail.length);
        buf.set(enc);
        buf.set(tail, enc.length);
        expect(decodeHeader(buf)).toEqual({ kid, ctr, length: enc.length });
      }),
    );
  });

  it('rejects values outside [0, 2^64-1] with a TypeError', () => {
    expect(() => encodeHeader(-1n, 0n)).toThrow(TypeError);
    expect(() => encodeHeader(0n, MAX_U64 + 1n)).toThrow(TypeError);
  });

  it('rejects empty and truncated headers', () => {
    for (const bad of [
      new Uint8Array(0),
      Uint8Array.of(0x80),
      Uint8Array.of(0x0f, 1, 2),
      Uint8Array.of(0xf0, 1),
    ]) {
      let err: unknown;
      try {
        decodeHeader(bad);
      } catch (e) {
        err = e;
      }
      expect(isE2eeError(err, 'E2EE_ERR_BAD_HEADER')).toBe(true);
    }
  });
});
