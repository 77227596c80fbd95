// node:crypto backend (Node only). Synchronous OpenSSL calls avoid WebCrypto's per-call
// thread-pool hop, which dominates the cost of small frames in Node (research probe §6).
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  diffieHellman,
  generateKeyPairSync,
  randomFillSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { E2eeError } from '../../errors';
import {
  ED25519_PUBLIC_KEY_BYTES,
  ED25519_SIGNATURE_BYTES,
  KeyCache,
  ed25519Pkcs8,
} from './ed25519-der';
import { pooledRandom } from './random-pool';
import { X25519_KEY_BYTES, checkSharedSecret } from './x25519-der';
import type { HashName } from '../suites';
import type { AesKey, CryptoBackend, HmacKey } from './types';

interface NodeAesKey {
  readonly mode: 'gcm' | 'ctr';
  readonly length: 16 | 32;
  /**
   * The key bytes (a private copy): createCipheriv takes them as fast as a KeyObject, and MLS
   * uses most AES keys once, where making a KeyObject cost more than the AEAD (issue 18).
   */
  readonly native: Buffer;
  readonly gcm: 'aes-128-gcm' | 'aes-256-gcm';
  readonly ctr: 'aes-128-ctr' | 'aes-256-ctr';
}
interface NodeHmacKey {
  readonly hash: HashName;
  readonly algo: 'sha256' | 'sha512';
  readonly native: KeyObject | Uint8Array;
}

const ALGO = { 'SHA-256': 'sha256', 'SHA-512': 'sha512' } as const;

// Raw OKP keys go in as JWK: OpenSSL 3's DER decoders cost ~10x more per key (~150 us for an
// SPKI, ~500 us for a PKCS #8 in Node 20; JWK ~10-45 us), and a Welcome or a KeyPackage brings
// a new key for every member (issue 18: breakout rooms).
const b64u = (raw: Uint8Array) =>
  Buffer.from(raw.buffer, raw.byteOffset, raw.length).toString('base64url');
const X_UNUSED = b64u(new Uint8Array(32));
const rawOf = (field: string | undefined) => new Uint8Array(Buffer.from(field ?? '', 'base64url'));
const okpPublic = (crv: 'Ed25519' | 'X25519', raw: Uint8Array) =>
  createPublicKey({ key: { kty: 'OKP', crv, x: b64u(raw) }, format: 'jwk' });
const TAG = 16;

export function createNodeBackend(): CryptoBackend {
  const edKeys = new KeyCache<KeyObject>();
  const xKeys = new KeyCache<KeyObject>();
  const xPrivate = (raw: Uint8Array) =>
    xKeys.privateKey(raw, () => {
      if (raw.length !== X25519_KEY_BYTES)
        throw new E2eeError('E2EE_ERR_BAD_LENGTH', 'X25519 private key');
      // Node 20 reads an OKP private JWK's `d` alone (the public key is derived from it) but
      // insists on a string `x`; RFC 9420 vectors catch any other behaviour (vectors*.test.ts).
      return createPrivateKey({
        key: { kty: 'OKP', crv: 'X25519', d: b64u(raw), x: X_UNUSED },
        format: 'jwk',
      });
    });
  return {
    name: 'node',
    async digest(hash, data) {
      return new Uint8Array(createHash(ALGO[hash]).update(data).digest());
    },
    async ed25519Sign(privateKey, message) {
      const key = edKeys.privateKey(privateKey, () =>
        createPrivateKey({
          key: Buffer.from(ed25519Pkcs8(privateKey).buffer),
          format: 'der',
          type: 'pkcs8',
        }),
      );
      return new Uint8Array(sign(null, message, key));
    },
    async ed25519Verify(publicKey, message, signature) {
      if (signature.length !== ED25519_SIGNATURE_BYTES) return false;
      if (publicKey.length !== ED25519_PUBLIC_KEY_BYTES) return false;
      try {
        const key = edKeys.publicKey(publicKey, () => okpPublic('Ed25519', publicKey));
        return verify(null, message, key, signature);
      } catch {
        return false;
      }
    },
    async hmac(hash, key, data) {
      return new Uint8Array(createHmac(ALGO[hash], key).update(data).digest());
    },
    async importHmacKey(hash, key) {
      // createSecretKey rejects empty keys; raw bytes work the same for createHmac.
      const k: NodeHmacKey = {
        hash,
        algo: ALGO[hash],
        native: key.length ? createSecretKey(key) : key.slice(),
      };
      return k as unknown as HmacKey;
    },
    async hmacWithKey(key, data) {
      const k = key as unknown as NodeHmacKey;
      return new Uint8Array(createHmac(k.algo, k.native).update(data).digest());
    },
    async importAesKey(mode, key) {
      if (key.length !== 16 && key.length !== 32)
        throw new E2eeError('E2EE_ERR_BAD_LENGTH', 'AES key');
      const bits = key.length === 16 ? '128' : '256';
      const k: NodeAesKey = {
        mode,
        length: key.length,
        native: Buffer.from(key),
        gcm: `aes-${bits}-gcm`,
        ctr: `aes-${bits}-ctr`,
      };
      return k as unknown as AesKey;
    },
    async aesGcmSeal(key, nonce, aad, plaintext, prefix) {
      const k = key as unknown as NodeAesKey;
      const c = createCipheriv(k.gcm, k.native, nonce, { authTagLength: TAG });
      c.setAAD(aad);
      const p = prefix ? prefix.length : 0;
      const out = new Uint8Array(p + plaintext.length + TAG);
      if (prefix) out.set(prefix, 0);
      const body = c.update(plaintext);
      out.set(body, p);
      const fin = c.final();
      out.set(fin, p + body.length);
      out.set(c.getAuthTag(), p + body.length + fin.length);
      return out;
    },
    async aesGcmOpen(key, nonce, aad, ciphertext) {
      const k = key as unknown as NodeAesKey;
      if (ciphertext.length < TAG) throw new E2eeError('E2EE_ERR_AUTH_FAILED', 'short ciphertext');
      const split = ciphertext.length - TAG;
      try {
        const d = createDecipheriv(k.gcm, k.native, nonce, { authTagLength: TAG });
        d.setAAD(aad);
        d.setAuthTag(ciphertext.subarray(split));
        const body = d.update(ciphertext.subarray(0, split));
        const fin = d.final();
        if (fin.length === 0) return new Uint8Array(body.buffer, body.byteOffset, body.length);
        const out = new Uint8Array(body.length + fin.length);
        out.set(body, 0);
        out.set(fin, body.length);
        return out;
      } catch (cause) {
        throw new E2eeError('E2EE_ERR_AUTH_FAILED', undefined, { cause });
      }
    },
    async aesCtr(key, counterBlock, data) {
      const k = key as unknown as NodeAesKey;
      const c = createCipheriv(k.ctr, k.native, counterBlock);
      const body = c.update(data);
      const fin = c.final();
      const out = new Uint8Array(body.length + fin.length);
      out.set(body, 0);
      out.set(fin, body.length);
      return out;
    },
    async x25519GenerateKeyPair() {
      const { privateKey, publicKey } = generateKeyPairSync('x25519');
      const sk = rawOf(privateKey.export({ format: 'jwk' }).d);
      xKeys.privateKey(sk, () => privateKey);
      return { privateKey: sk, publicKey: rawOf(publicKey.export({ format: 'jwk' }).x) };
    },
    async x25519PublicKey(privateKey) {
      return rawOf(createPublicKey(xPrivate(privateKey)).export({ format: 'jwk' }).x);
    },
    async x25519(privateKey, publicKey) {
      if (publicKey.length !== X25519_KEY_BYTES)
        throw new E2eeError('E2EE_ERR_BAD_LENGTH', 'X25519 public key');
      const pub = xKeys.publicKey(publicKey, () => okpPublic('X25519', publicKey));
      let dh: Buffer;
      try {
        dh = diffieHellman({ privateKey: xPrivate(privateKey), publicKey: pub });
      } catch (cause) {
        // OpenSSL refuses an all-zero result itself.
        throw new E2eeError('E2EE_ERR_AUTH_FAILED', 'X25519 failed', { cause });
      }
      return checkSharedSecret(new Uint8Array(dh.buffer, dh.byteOffset, dh.length));
    },
    randomBytes: pooledRandom((out) => randomFillSync(out)),
  };
}
