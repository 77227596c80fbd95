import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  KID_CONTEXT_BITS,
  KID_EPOCH_BITS,
  KID_SENDER_BITS,
  packKid,
  unpackKid,
} from './sframe-mls-keys';

describe('RFC 9605 §5.2 KID packing', () => {
  it('uses 4 epoch bits, 16 sender bits and 44 context bits', () => {
    expect([KID_EPOCH_BITS, KID_SENDER_BITS, KID_CONTEXT_BITS]).toEqual([4, 16, 44]);
    expect(packKid(0n, 1, 1n)).toBe(0x11n);
    expect(packKid(1n, 0, 0n)).toBe(1n << 20n);
    expect(packKid(0n, 3, 17n)).toBe((3n << 4n) | 1n);
  });

  it('round-trips context, sender index and low epoch bits', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: (1n << 44n) - 1n }),
        fc.integer({ min: 0, max: 0xffff }),
        fc.bigInt({ min: 0n, max: 1n << 62n }),
        (context, sender, epoch) => {
          expect(unpackKid(packKid(context, sender, epoch))).toEqual({
            context,
            senderIndex: sender,
            epochBits: Number(epoch % 16n),
          });
        },
      ),
    );
  });

  it('rejects values that do not fit', () => {
    expect(() => packKid(1n << 44n, 0, 0n)).toThrow(TypeError);
    expect(() => packKid(0n, 0x10000, 0n)).toThrow(TypeError);
    expect(() => packKid(0n, -1, 0n)).toThrow(TypeError);
  });
});
