import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createNodeBackend } from './node';
import { createWebCryptoBackend } from './webcrypto';

// RFC 8032 §7.1 TEST 2: one-byte message.
const SEED = Buffer.from('4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb', 'hex');
const PUB = Buffer.from('3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c', 'hex');
const MSG = Buffer.from('72', 'hex');
const SIG = Buffer.from(
  '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  'hex',
);

describe.each([
  ['node:crypto', createNodeBackend],
  ['WebCrypto', createWebCryptoBackend],
])('Ed25519 on %s (RFC 8032)', (_name, make) => {
  it('signs the RFC 8032 vector from the seed and from its PKCS #8 form alike', async () => {
    const b = make();
    expect(Buffer.from(await b.ed25519Sign(new Uint8Array(SEED), MSG))).toEqual(SIG);
    const { privateKey } = generateKeyPairSync('ed25519');
    const pkcs8 = new Uint8Array(privateKey.export({ format: 'der', type: 'pkcs8' }));
    expect(Buffer.from(await b.ed25519Sign(pkcs8, MSG))).toEqual(sign(null, MSG, privateKey));
  });

  it('verifies the vector and refuses a changed message, a changed signature or a bad key', async () => {
    const b = make();
    expect(await b.ed25519Verify(PUB, MSG, SIG)).toBe(true);
    expect(await b.ed25519Verify(PUB, Buffer.from('73', 'hex'), SIG)).toBe(false);
    const bad = Uint8Array.from(SIG);
    bad[0]! ^= 1;
    expect(await b.ed25519Verify(PUB, MSG, bad)).toBe(false);
    expect(await b.ed25519Verify(PUB, MSG, SIG.subarray(0, 63))).toBe(false);
    expect(await b.ed25519Verify(PUB.subarray(0, 31), MSG, SIG)).toBe(false);
  });

  it('refuses a private key that is neither a seed nor Ed25519 PKCS #8', async () => {
    await expect(make().ed25519Sign(new Uint8Array(33), MSG)).rejects.toThrow(/length/i);
  });
});
