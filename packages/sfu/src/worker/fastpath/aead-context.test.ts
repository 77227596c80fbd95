import { createCipheriv, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  aeadImplementation,
  createGcmContext,
  createNativeGcmContext,
  GCM_TAG_LENGTH,
  NodeCryptoGcmContext,
  type Aes128GcmContext,
} from './aead-context';
import { writeSrtcpGcmIv, writeSrtpGcmIv } from './srtp';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

const native = (key: Uint8Array): Aes128GcmContext => {
  const context = createNativeGcmContext(key);
  if (!context) throw new Error('packages/aead-native was not built');
  return context;
};

const implementations = [
  ['the native context', native],
  ['node:crypto', (key: Uint8Array) => new NodeCryptoGcmContext(key)],
] as const;

/** AES-128-GCM by a fresh node:crypto cipher: ciphertext || tag. */
const reference = (key: Buffer, iv: Buffer, aad: Buffer, plain: Buffer): Buffer => {
  const cipher = createCipheriv('aes-128-gcm', key, iv);
  cipher.setAAD(aad);
  const encrypted = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([encrypted, cipher.getAuthTag()]);
};

const seal = (context: Aes128GcmContext, iv: Buffer, aad: Buffer, plain: Buffer): Buffer => {
  const out = Buffer.alloc(plain.length + GCM_TAG_LENGTH);
  expect(context.seal(iv, aad, plain, out, 0)).toBe(out.length);
  return out;
};

const open = (
  context: Aes128GcmContext,
  iv: Buffer,
  aad: Buffer,
  sealed: Buffer,
): Buffer | undefined => {
  const ciphertext = sealed.subarray(0, sealed.length - GCM_TAG_LENGTH);
  const out = Buffer.alloc(ciphertext.length);
  const length = context.open(iv, aad, ciphertext, sealed.subarray(ciphertext.length), out, 0);
  return length < 0 ? undefined : out.subarray(0, length);
};

// RFC 7714 §16.1.1 (SRTP) and §17.1 (SRTCP): session key and salt used directly
const key = hex('000102030405060708090a0b0c0d0e0f');
const salt = hex('517569642070726f2071756f');
const rtpHeader = hex('8040f17b 8041f8d3 5501a0b2');
const rtpPayload = hex(
  '47616c6c 69612065 7374206f 6d6e6973 20646976 69736120 696e2070 61727465 73207472 6573',
);
const rtpSealed = hex(
  'f24de3a3 fb34de6c acba861c 9d7e4bca be633bd5 0d294e6f 42a5f47a 51c7d19b 36de3adf 8833' +
    '899d7f27 beb16a91 52cf765e e4390cce',
);
const rtpIv = (): Buffer => {
  const iv = Buffer.alloc(12);
  writeSrtpGcmIv(iv, salt, 0x5501a0b2, 0, 0xf17b);
  return iv;
};
const rtcpBody = hex(
  '4e545031 4e545032 52545020 0000042a 0000e930 4c756e61' +
    'deadbeef deadbeef deadbeef deadbeef deadbeef',
);
const rtcpAad = hex('81c8000d 4d617273 800005d4');
const rtcpSealed = hex(
  '63e94885 dcdab67c a727d766 2f6b7e99 7ff5c0f7 6c06f32d' +
    'c676a5f1 730d6fda 4ce09b46 86303ded 0bb9275b c84aa458 96cf4d2f c5abf872 45d9eade',
);
const rtcpIv = (): Buffer => {
  const iv = Buffer.alloc(12);
  writeSrtcpGcmIv(iv, salt, 0x4d617273, 0x5d4);
  return iv;
};

describe('AES-128-GCM context per key', () => {
  it('is the native context on this machine (npm ci builds packages/aead-native)', () => {
    expect(aeadImplementation()).toBe('openssl-context-per-key');
    expect(createNativeGcmContext(key)).toBeDefined();
  });

  for (const [name, make] of implementations) {
    describe(name, () => {
      it('seals and opens the RFC 7714 §16.1.1 SRTP and §17.1 SRTCP vectors', () => {
        const context = make(key);
        expect(seal(context, rtpIv(), rtpHeader, rtpPayload)).toEqual(rtpSealed);
        expect(open(context, rtpIv(), rtpHeader, rtpSealed)).toEqual(rtpPayload);
        expect(seal(context, rtcpIv(), rtcpAad, rtcpBody)).toEqual(rtcpSealed);
        expect(open(context, rtcpIv(), rtcpAad, rtcpSealed)).toEqual(rtcpBody);
      });

      it('refuses a flipped bit in the tag, the ciphertext, the AAD or the IV', () => {
        const context = make(key);
        for (const offset of [0, rtpPayload.length - 1, rtpSealed.length - 1]) {
          const tampered = Buffer.from(rtpSealed);
          tampered[offset] = tampered[offset]! ^ 0x01;
          expect(open(context, rtpIv(), rtpHeader, tampered)).toBeUndefined();
        }
        const header = Buffer.from(rtpHeader);
        header[11] = header[11]! ^ 0x80;
        expect(open(context, rtpIv(), header, rtpSealed)).toBeUndefined();
        const iv = rtpIv();
        iv[11] = iv[11]! ^ 0x01;
        expect(open(context, iv, rtpHeader, rtpSealed)).toBeUndefined();
        // and still opens the genuine packet afterwards
        expect(open(context, rtpIv(), rtpHeader, rtpSealed)).toEqual(rtpPayload);
      });

      it('seals byte for byte as a fresh node:crypto cipher, and opens it, for random packets', () => {
        fc.assert(
          fc.property(
            fc.uint8Array({ minLength: 16, maxLength: 16 }),
            fc.uint8Array({ minLength: 12, maxLength: 12 }),
            fc.uint8Array({ minLength: 0, maxLength: 72 }),
            fc.uint8Array({ minLength: 0, maxLength: 1400 }),
            (k, iv, aad, plain) => {
              const [kb, ivb, aadb, pb] = [k, iv, aad, plain].map((a) => Buffer.from(a)) as [
                Buffer,
                Buffer,
                Buffer,
                Buffer,
              ];
              const context = make(kb);
              const expected = reference(kb, ivb, aadb, pb);
              const sealed = seal(context, ivb, aadb, pb);
              expect(sealed).toEqual(expected);
              expect(open(context, ivb, aadb, sealed)).toEqual(pb);
            },
          ),
          { numRuns: 200 },
        );
      });

      it('opens in place: plaintext where the ciphertext was', () => {
        const context = make(key);
        const packet = Buffer.concat([rtpHeader, rtpSealed]);
        const length = context.open(
          rtpIv(),
          packet.subarray(0, 12),
          packet.subarray(12, packet.length - GCM_TAG_LENGTH),
          packet.subarray(packet.length - GCM_TAG_LENGTH),
          packet,
          12,
        );
        expect(length).toBe(rtpPayload.length);
        expect(packet.subarray(12, 12 + length)).toEqual(rtpPayload);
      });

      it('opens a whole SRTP packet in place (header = AAD) and refuses any flipped bit', () => {
        const context = make(key);
        const packet = Buffer.concat([rtpHeader, rtpSealed]);
        const length = context.openInPlace(rtpIv(), packet, rtpHeader.length);
        expect(length).toBe(rtpPayload.length);
        expect(packet.subarray(0, 12)).toEqual(rtpHeader);
        expect(packet.subarray(12, 12 + length)).toEqual(rtpPayload);
        // header (AAD), ciphertext and tag: each flipped bit is refused
        for (const offset of [11, 12, 12 + rtpPayload.length - 1, 12 + rtpSealed.length - 1]) {
          const tampered = Buffer.concat([rtpHeader, rtpSealed]);
          tampered[offset] = tampered[offset]! ^ 0x01;
          expect(context.openInPlace(rtpIv(), tampered, 12)).toBe(-1);
        }
        const fresh = Buffer.concat([rtpHeader, rtpSealed]);
        expect(context.openInPlace(rtpIv(), fresh, 12)).toBe(rtpPayload.length);
        // a packet too short for its AAD and tag is an error, not a -1
        expect(() => context.openInPlace(rtpIv(), Buffer.alloc(20), 12)).toThrow(/room/);
        expect(() => context.openInPlace(Buffer.alloc(16), fresh, 12)).toThrow();
      });

      it('opens in place as `open` does, for random packets', () => {
        fc.assert(
          fc.property(
            fc.uint8Array({ minLength: 12, maxLength: 12 }),
            fc.uint8Array({ minLength: 0, maxLength: 72 }),
            fc.uint8Array({ minLength: 0, maxLength: 1400 }),
            (iv, aad, plain) => {
              const [ivb, aadb, pb] = [iv, aad, plain].map((a) => Buffer.from(a)) as [
                Buffer,
                Buffer,
                Buffer,
              ];
              const context = make(key);
              const packet = Buffer.concat([aadb, reference(key, ivb, aadb, pb)]);
              expect(context.openInPlace(ivb, packet, aadb.length)).toBe(pb.length);
              expect(packet.subarray(aadb.length, aadb.length + pb.length)).toEqual(pb);
            },
          ),
          { numRuns: 100 },
        );
      });

      it('keeps each key in its own context: interleaved keys never mix', () => {
        const keys = [randomBytes(16), randomBytes(16), randomBytes(16)];
        const contexts = keys.map((k) => make(k));
        const iv = randomBytes(12);
        const aad = randomBytes(12);
        for (let round = 0; round < 3; round++) {
          for (const [i, k] of keys.entries()) {
            const plain = randomBytes(100 + round);
            const sealed = seal(contexts[i]!, iv, aad, plain);
            expect(sealed).toEqual(reference(k, iv, aad, plain));
            // another key's context refuses it
            expect(open(contexts[(i + 1) % keys.length]!, iv, aad, sealed)).toBeUndefined();
            expect(open(contexts[i]!, iv, aad, sealed)).toEqual(plain);
          }
        }
      });

      it('rejects a key, IV or output of the wrong size with an error', () => {
        expect(() => make(Buffer.alloc(32))).toThrow(TypeError);
        const context = make(key);
        expect(() =>
          context.seal(Buffer.alloc(16), rtpHeader, rtpPayload, Buffer.alloc(100), 0),
        ).toThrow();
        expect(() => context.seal(rtpIv(), rtpHeader, rtpPayload, Buffer.alloc(10), 0)).toThrow();
        expect(() =>
          context.open(rtpIv(), rtpHeader, rtpSealed, Buffer.alloc(16), Buffer.alloc(4), 0),
        ).toThrow();
      });
    });
  }

  it('the default context is the native one and agrees with node:crypto', () => {
    const context = createGcmContext(key);
    expect(seal(context, rtpIv(), rtpHeader, rtpPayload)).toEqual(rtpSealed);
  });
});
