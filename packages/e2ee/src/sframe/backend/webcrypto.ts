// WebCrypto backend: browsers, dedicated workers and Node's globalThis.crypto.
// Uses only `globalThis.crypto`, so it carries no DOM or Node dependency.
import { E2eeError } from '../../errors';
import type { HashName } from '../suites';
import type { AesKey, CryptoBackend, HmacKey } from './types';
import { ED25519_SIGNATURE_BYTES, KeyCache, ed25519Pkcs8, ed25519Spki } from './ed25519-der';

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

const ED25519 = { name: 'Ed25519' } as const;

export function createWebCryptoBackend(): CryptoBackend {
  const s = subtle();
  // Importing a key costs more than signing with it (Node: ~1 ms for PKCS #8): import once.
  const edKeys = new KeyCache<Promise<CryptoKey>>();

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
    async hmac(hash, key, data) {
      return hmacWithKey(await importHmacKey(hash, key), data);
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
    randomBytes(length) {
      const out = new Uint8Array(length);
      // getRandomValues is limited to 65536 bytes per call.
      for (let i = 0; i < length; i += 65536) {
        globalThis.crypto.getRandomValues(out.subarray(i, Math.min(length, i + 65536)));
      }
      return out;
    },
  };
}
