// WebCrypto backend: browsers, dedicated workers and Node's globalThis.crypto.
// Uses only `globalThis.crypto` and pure-JS @noble/hashes, so it carries no DOM or Node dependency.
import { hmac as nobleHmac } from '@noble/hashes/hmac.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { E2eeError } from '../../errors';
import type { HashName } from '../suites';
import type { AesKey, CryptoBackend, HmacKey } from './types';
import { pooledRandom } from './random-pool';
import { ED25519_SIGNATURE_BYTES, KeyCache, ed25519Pkcs8, ed25519Spki } from './ed25519-der';
import { X25519_KEY_BYTES, checkSharedSecret, rawKeyOf, x25519Pkcs8 } from './x25519-der';

interface WcAesKey {
  readonly mode: 'gcm' | 'ctr';
  readonly length: 16 | 32;
  readonly native: CryptoKey;
}
interface WcHmacKey {
  readonly hash: HashName;
  readonly native: CryptoKey;
}

// WebCrypto rejects zero-length HMAC keys; HMAC pads keys with zeros to the block size anyway
// (RFC 2104 §2), so an all-zero key of one byte is the same key. HKDF-Extract uses "" as salt.
const ZERO = new Uint8Array(1);

function subtle(): SubtleCrypto {
  const c = (globalThis as { crypto?: Crypto }).crypto;
  if (!c?.subtle)
    throw new E2eeError('E2EE_ERR_UNKNOWN_SUITE', 'WebCrypto is unavailable (insecure context?)');
  return c.subtle;
}

function buf(u: Uint8Array): Uint8Array<ArrayBuffer> {
  return u as Uint8Array<ArrayBuffer>;
}

const NOBLE_HASH = { 'SHA-256': sha256, 'SHA-512': sha512 } as const;

const ED25519 = { name: 'Ed25519' } as const;
const X25519 = { name: 'X25519' } as const;

/** RFC 4648 §5 base64url (a JWK's `x`) to bytes. */
function fromBase64Url(s: string): Uint8Array {
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

export function createWebCryptoBackend(): CryptoBackend {
  const s = subtle();
  // Importing a key costs more than signing with it (Node: ~1 ms for PKCS #8): import once.
  const edKeys = new KeyCache<Promise<CryptoKey>>();
  const xKeys = new KeyCache<Promise<CryptoKey>>();
  // Extractable so that pk(sk) can be read from its JWK (WebCrypto has no other way); the key
  // lives in this worker like every other MLS secret.
  const xPrivate = (raw: Uint8Array) =>
    xKeys.privateKey(raw, () =>
      s.importKey('pkcs8', x25519Pkcs8(raw), X25519, true, ['deriveBits']),
    );

  async function importHmacKey(hash: HashName, key: Uint8Array): Promise<HmacKey> {
    const native = await s.importKey(
      'raw',
      buf(key.length ? key : ZERO),
      { name: 'HMAC', hash },
      false,
      ['sign'],
    );
    const k: WcHmacKey = { hash, native };
    return k as unknown as HmacKey;
  }

  async function hmacWithKey(key: HmacKey, data: Uint8Array): Promise<Uint8Array> {
    const k = key as unknown as WcHmacKey;
    return new Uint8Array(await s.sign('HMAC', k.native, buf(data)));
  }

  return {
    name: 'webcrypto',
    importHmacKey,
    hmacWithKey,
    // One-shot HMAC over a few dozen bytes: every RFC 5869 HKDF step, i.e. every RFC 9420 §5.1
    // KDF call (ten per MLS application message: §6.3.2 sender data key and nonce, §9.1
    // generation ratchet, on each side). WebCrypto needs importKey + sign, two asynchronous
    // thread-pool round trips, for each; hashing these few blocks here in the worker costs less.
    // RFC 2104 with an empty key is the same as with the zero-padded one; SHA-2 has no
    // secret-dependent branches or table lookups. The RFC 9420 vectors run on this backend.
    async hmac(hash, key, data) {
      return nobleHmac(NOBLE_HASH[hash], key, data);
    },
    async importAesKey(mode, key) {
      if (key.length !== 16 && key.length !== 32)
        throw new E2eeError('E2EE_ERR_BAD_LENGTH', 'AES key');
      const name = mode === 'gcm' ? 'AES-GCM' : 'AES-CTR';
      const native = await s.importKey('raw', buf(key), { name }, false, ['encrypt', 'decrypt']);
      const k: WcAesKey = { mode, length: key.length, native };
      return k as unknown as AesKey;
    },
    async aesGcmSeal(key, nonce, aad, plaintext, prefix) {
      const k = key as unknown as WcAesKey;
      const params = { name: 'AES-GCM', iv: buf(nonce), additionalData: buf(aad), tagLength: 128 };
      const pending = s.encrypt(params, k.native, buf(plaintext));
      if (!prefix) return new Uint8Array(await pending);
      // WebCrypto cannot write after a prefix, so header || ciphertext costs one copy; allocate
      // while the encryption runs off the main thread.
      const out = new Uint8Array(prefix.length + plaintext.length + 16);
      out.set(prefix, 0);
      out.set(new Uint8Array(await pending), prefix.length);
      return out;
    },
    async aesGcmOpen(key, nonce, aad, ciphertext) {
      const k = key as unknown as WcAesKey;
      const params = { name: 'AES-GCM', iv: buf(nonce), additionalData: buf(aad), tagLength: 128 };
      try {
        return new Uint8Array(await s.decrypt(params, k.native, buf(ciphertext)));
      } catch (cause) {
        throw new E2eeError('E2EE_ERR_AUTH_FAILED', undefined, { cause });
      }
    },
    async aesCtr(key, counterBlock, data) {
      const k = key as unknown as WcAesKey;
      const params = { name: 'AES-CTR', counter: buf(counterBlock), length: 128 };
      return new Uint8Array(await s.encrypt(params, k.native, buf(data)));
    },
    async digest(hash, data) {
      return new Uint8Array(await s.digest(hash, buf(data)));
    },
    async ed25519Sign(privateKey, message) {
      const key = edKeys.privateKey(privateKey, () =>
        s.importKey('pkcs8', ed25519Pkcs8(privateKey), ED25519, false, ['sign']),
      );
      return new Uint8Array(await s.sign(ED25519, await key, buf(message)));
    },
    async ed25519Verify(publicKey, message, signature) {
      if (signature.length !== ED25519_SIGNATURE_BYTES) return false;
      try {
        // SPKI rather than raw: the same length check for every platform.
        const key = edKeys.publicKey(publicKey, () =>
          s.importKey('spki', ed25519Spki(publicKey), ED25519, false, ['verify']),
        );
        return await s.verify(ED25519, await key, buf(signature), buf(message));
      } catch {
        return false;
      }
    },
    async x25519GenerateKeyPair() {
      const kp = (await s.generateKey(X25519, true, ['deriveBits'])) as CryptoKeyPair;
      const sk = rawKeyOf(new Uint8Array(await s.exportKey('pkcs8', kp.privateKey)));
      void xKeys.privateKey(sk, () => Promise.resolve(kp.privateKey));
      return { privateKey: sk, publicKey: new Uint8Array(await s.exportKey('raw', kp.publicKey)) };
    },
    async x25519PublicKey(privateKey) {
      const jwk = await s.exportKey('jwk', await xPrivate(privateKey));
      const pk = fromBase64Url(jwk.x ?? '');
      if (pk.length !== X25519_KEY_BYTES) throw new E2eeError('E2EE_ERR_BAD_LENGTH', 'X25519 key');
      return pk;
    },
    async x25519(privateKey, publicKey) {
      if (publicKey.length !== X25519_KEY_BYTES)
        throw new E2eeError('E2EE_ERR_BAD_LENGTH', 'X25519 public key');
      const pub = await xKeys.publicKey(publicKey, () =>
        s.importKey('raw', buf(publicKey), X25519, true, []),
      );
      let dh: ArrayBuffer;
      try {
        dh = await s.deriveBits({ name: 'X25519', public: pub }, await xPrivate(privateKey), 256);
      } catch (cause) {
        throw new E2eeError('E2EE_ERR_AUTH_FAILED', 'X25519 failed', { cause });
      }
      return checkSharedSecret(new Uint8Array(dh));
    },
    randomBytes: pooledRandom((out) => {
      // getRandomValues is limited to 65536 bytes per call.
      for (let i = 0; i < out.length; i += 65536)
        globalThis.crypto.getRandomValues(out.subarray(i, Math.min(out.length, i + 65536)));
    }),
  };
}
