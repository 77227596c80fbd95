import { describe, expect, it } from 'vitest';
import { pooledRandom } from './random-pool';
import { createNodeBackend } from './node';
import { createWebCryptoBackend } from './webcrypto';

/** A fake CSPRNG that numbers its bytes, so a test can see which ones were handed out. */
function countingFill() {
  let next = 1;
  const calls: number[] = [];
  const fill = (out: Uint8Array) => {
    calls.push(out.length);
    for (let i = 0; i < out.length; i++) out[i] = next++ % 251 || 251;
  };
  return { fill, calls };
}

describe('the random pool behind each backend', () => {
  it('serves a thousand 4-byte reuse guards with one CSPRNG call, never the same byte twice', () => {
    const { fill, calls } = countingFill();
    const random = pooledRandom(fill, 4096);
    const seen: number[] = [];
    for (let i = 0; i < 1000; i++) seen.push(...random(4));
    expect(calls).toEqual([4096]);
    // Bytes come out in the order the CSPRNG wrote them: none repeated, none skipped.
    expect(seen).toEqual(Array.from({ length: 4000 }, (_, i) => (i + 1) % 251 || 251));
  });

  it('wipes what it handed out and refills when it runs dry', () => {
    const { fill, calls } = countingFill();
    const pool: Uint8Array[] = [];
    const random = pooledRandom((out) => {
      pool.push(out);
      fill(out);
    }, 64);
    for (let i = 0; i < 16; i++) random(4);
    expect(pool[0]!.every((b) => b === 0)).toBe(true);
    random(4);
    expect(calls).toEqual([64, 64]);
  });

  it('asks the CSPRNG directly for large requests (keys, SFrame base keys)', () => {
    const { fill, calls } = countingFill();
    const random = pooledRandom(fill, 64);
    expect(random(32)).toHaveLength(32);
    expect(calls).toEqual([32]);
  });

  it.each([
    ['node:crypto', createNodeBackend],
    ['WebCrypto', createWebCryptoBackend],
  ])('%s hands out distinct reuse guards', (_name, make) => {
    const backend = make();
    const guards = new Set<string>();
    for (let i = 0; i < 2000; i++) guards.add(Buffer.from(backend.randomBytes(8)).toString('hex'));
    expect(guards.size).toBe(2000);
  });
});
