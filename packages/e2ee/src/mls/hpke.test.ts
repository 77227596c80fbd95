// Our RFC 9180 HPKE (hpke.ts) against @hpke/core (ts-mls's default) both ways, on each backend;
// the RFC 9420 vectors (vectors*.test.ts) check it byte for byte too.
import { getCiphersuiteImpl, type CiphersuiteImpl } from 'ts-mls';
import { getCiphersuiteFromId } from 'ts-mls/crypto/ciphersuite.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { createNodeBackend } from '../sframe/backend/node';
import { createWebCryptoBackend } from '../sframe/backend/webcrypto';
import { makeHpke } from './hpke';

const enc = new TextEncoder();
let reference: CiphersuiteImpl;
beforeAll(async () => {
  reference = await getCiphersuiteImpl(getCiphersuiteFromId(1));
});

describe.each([
  ['node:crypto', createNodeBackend],
  ['WebCrypto', createWebCryptoBackend],
])('HPKE on %s', (_name, make) => {
  const ours = makeHpke(make());

  it('opens what @hpke/core seals, and @hpke/core opens what it seals', async () => {
    const info = enc.encode('info');
    const aad = enc.encode('aad');
    const a = await reference.hpke.generateKeyPair();
    const aPriv = await ours.importPrivateKey(await reference.hpke.exportPrivateKey(a.privateKey));
    const aPub = await ours.importPublicKey(await reference.hpke.exportPublicKey(a.publicKey));
    const sealed = await reference.hpke.seal(a.publicKey, enc.encode('to ours'), info, aad);
    expect(await ours.open(aPriv, sealed.enc, sealed.ct, info, aad)).toEqual(enc.encode('to ours'));
    const back = await ours.seal(aPub, enc.encode('to theirs'), info, aad);
    expect(await reference.hpke.open(a.privateKey, back.enc, back.ct, info, aad)).toEqual(
      enc.encode('to theirs'),
    );
    const exp = await ours.exportSecret(aPub, enc.encode('ctx'), 32, info);
    expect(
      await reference.hpke.importSecret(a.privateKey, enc.encode('ctx'), exp.enc, 32, info),
    ).toEqual(exp.secret);
  });

  it('derives the same key pair as @hpke/core from the same secret (RFC 9180 §7.1.3)', async () => {
    const ikm = new Uint8Array(32).fill(7);
    const mine = await ours.deriveKeyPair(ikm);
    const theirs = await reference.hpke.deriveKeyPair(ikm);
    expect(await ours.exportPublicKey(mine.publicKey)).toEqual(
      await reference.hpke.exportPublicKey(theirs.publicKey),
    );
    expect(await ours.exportPrivateKey(mine.privateKey)).toEqual(
      await reference.hpke.exportPrivateKey(theirs.privateKey),
    );
  });

  it('refuses a changed ciphertext, a wrong key and a small-order public key', async () => {
    const a = await ours.generateKeyPair();
    const b = await ours.generateKeyPair();
    const info = enc.encode('i');
    const sealed = await ours.seal(a.publicKey, enc.encode('secret'), info);
    const bad = sealed.ct.slice();
    bad[0]! ^= 1;
    await expect(ours.open(a.privateKey, sealed.enc, bad, info)).rejects.toThrow();
    await expect(ours.open(b.privateKey, sealed.enc, sealed.ct, info)).rejects.toThrow();
    // RFC 7748: the all-zero point gives an all-zero shared secret (RFC 9180 §7.1.4: abort).
    await expect(ours.open(a.privateKey, new Uint8Array(32), sealed.ct, info)).rejects.toThrow();
    const zero = await ours.importPublicKey(new Uint8Array(32));
    await expect(ours.seal(zero, enc.encode('x'), info)).rejects.toThrow();
  });
});
