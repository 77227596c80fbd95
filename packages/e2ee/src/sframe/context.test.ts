import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { E2eeError } from '../errors';
import { createNodeBackend } from './backend/node';
import type { CryptoBackend } from './backend/types';
import { createWebCryptoBackend } from './backend/webcrypto';
import { SFrameContext } from './context';
import { encodeHeader } from './header';
import { CIPHER_SUITES, type CipherSuiteId } from './suites';

const BASE_KEY = Uint8Array.from({ length: 16 }, (_, i) => i);

async function expectCode(p: Promise<unknown>, code: string): Promise<void> {
  await expect(p).rejects.toSatisfy((e) => e instanceof E2eeError && e.code === code);
}

async function pair(backend: CryptoBackend, suiteId: CipherSuiteId = 4, kid = 7n) {
  const suite = CIPHER_SUITES[suiteId];
  const sender = new SFrameContext({ backend, suite });
  const receiver = new SFrameContext({ backend, suite });
  await sender.addBaseKey(kid, BASE_KEY);
  await receiver.addBaseKey(kid, BASE_KEY);
  return { sender, receiver, kid };
}

for (const backend of [createNodeBackend(), createWebCryptoBackend()]) {
  describe(`SFrameContext on ${backend.name}`, () => {
    it('round-trips random payloads and metadata on every suite', async () => {
      const ctxs = await Promise.all(([1, 2, 3, 4, 5] as const).map((id) => pair(backend, id)));
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 0, max: 4 }),
          fc.uint8Array({ maxLength: 2000 }),
          fc.uint8Array({ maxLength: 64 }),
          async (i, payload, metadata) => {
            const { sender, receiver, kid } = ctxs[i]!;
            const frame = await sender.encrypt(kid, payload, metadata);
            const out = await receiver.decrypt(frame, metadata);
            expect(out.kid).toBe(kid);
            expect(out.plaintext).toEqual(payload);
          },
        ),
        { numRuns: 200 },
      );
    });

    it('uses a fresh counter for every frame of a sender', async () => {
      const { sender, receiver, kid } = await pair(backend);
      const ctrs: bigint[] = [];
      for (let i = 0; i < 20; i++) {
        ctrs.push((await receiver.decrypt(await sender.encrypt(kid, Uint8Array.of(i)))).ctr);
      }
      expect(ctrs).toEqual(Array.from({ length: 20 }, (_, i) => BigInt(i)));
    });

    it('rejects a frame whose KID has no key', async () => {
      const { sender, kid } = await pair(backend);
      const other = new SFrameContext({ backend });
      await other.addBaseKey(kid + 1n, BASE_KEY);
      await expectCode(
        other.decrypt(await sender.encrypt(kid, Uint8Array.of(1, 2, 3))),
        'E2EE_ERR_UNKNOWN_KID',
      );
    });

    it('rejects tampered ciphertext, tag, header and metadata', async () => {
      for (const id of [1, 4] as const) {
        const { sender, receiver, kid } = await pair(backend, id);
        const metadata = Uint8Array.of(9, 9, 9);
        const frame = await sender.encrypt(kid, new Uint8Array(100).fill(5), metadata);
        const flip = (i: number) => {
          const f = frame.slice();
          f[i]! ^= 1;
          return f;
        };
        await expectCode(
          receiver.decrypt(flip(frame.length - 50), metadata),
          'E2EE_ERR_AUTH_FAILED',
        );
        await expectCode(
          receiver.decrypt(flip(frame.length - 1), metadata),
          'E2EE_ERR_AUTH_FAILED',
        );
        await expectCode(receiver.decrypt(frame, Uint8Array.of(9, 9, 8)), 'E2EE_ERR_AUTH_FAILED');
        await expectCode(receiver.decrypt(frame.subarray(0, 5), metadata), 'E2EE_ERR_AUTH_FAILED');
        // Same KID, different CTR in the header: the nonce and the AAD both change.
        const forged = frame.slice();
        forged.set(encodeHeader(kid, 1n));
        await expectCode(receiver.decrypt(forged, metadata), 'E2EE_ERR_AUTH_FAILED');
        // The untouched frame still opens after all the failures.
        expect((await receiver.decrypt(frame, metadata)).plaintext).toEqual(
          new Uint8Array(100).fill(5),
        );
      }
    });

    it('rejects replays and frames older than the replay window, accepts reordering inside it', async () => {
      const suite = CIPHER_SUITES[4];
      const sender = new SFrameContext({ backend, suite });
      const receiver = new SFrameContext({ backend, suite, replayWindow: 8 });
      await sender.addBaseKey(1n, BASE_KEY);
      await receiver.addBaseKey(1n, BASE_KEY);
      const frames: Uint8Array[] = [];
      for (let i = 0; i < 20; i++) frames.push(await sender.encrypt(1n, Uint8Array.of(i)));
      await receiver.decrypt(frames[10]!);
      await expectCode(receiver.decrypt(frames[10]!), 'E2EE_ERR_REPLAY');
      await receiver.decrypt(frames[5]!); // 5 behind: inside the window
      await expectCode(receiver.decrypt(frames[5]!), 'E2EE_ERR_REPLAY');
      await expectCode(receiver.decrypt(frames[2]!), 'E2EE_ERR_REPLAY'); // 8 behind: outside
      await receiver.decrypt(frames[19]!);
      await expectCode(receiver.decrypt(frames[11]!), 'E2EE_ERR_REPLAY'); // now outside
      await receiver.decrypt(frames[12]!);
    });

    it('accepts only one of two concurrent decrypts of the same frame', async () => {
      const { sender, receiver, kid } = await pair(backend);
      const frame = await sender.encrypt(kid, Uint8Array.of(1));
      const results = await Promise.allSettled([receiver.decrypt(frame), receiver.decrypt(frame)]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    });

    it('refuses to install a second key for the same KID', async () => {
      const ctx = new SFrameContext({ backend });
      await ctx.addBaseKey(3n, BASE_KEY);
      await expectCode(ctx.addBaseKey(3n, BASE_KEY), 'E2EE_ERR_DUPLICATE_KID');
      expect(ctx.deleteKey(3n)).toBe(true);
      await ctx.addBaseKey(3n, BASE_KEY);
    });

    it('asserts key and salt lengths', async () => {
      const ctx = new SFrameContext({ backend });
      await expectCode(
        ctx.addKeyMaterial(1n, new Uint8Array(15), new Uint8Array(12)),
        'E2EE_ERR_BAD_LENGTH',
      );
      await expectCode(
        ctx.addKeyMaterial(1n, new Uint8Array(16), new Uint8Array(11)),
        'E2EE_ERR_BAD_LENGTH',
      );
    });
  });
}

describe('backends agree', () => {
  it('node:crypto and WebCrypto produce identical frames for every suite', async () => {
    for (const id of [1, 2, 3, 4, 5] as const) {
      const a = await pair(createNodeBackend(), id, 300n);
      const b = await pair(createWebCryptoBackend(), id, 300n);
      const pt = new Uint8Array(1200).fill(id);
      const fa = await a.sender.encrypt(300n, pt, Uint8Array.of(1));
      const fb = await b.sender.encrypt(300n, pt, Uint8Array.of(1));
      expect(fa).toEqual(fb);
      expect((await b.receiver.decrypt(fa, Uint8Array.of(1))).plaintext).toEqual(pt);
    }
  });
});
