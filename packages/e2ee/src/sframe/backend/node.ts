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
  randomFillSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { E2eeError } from '../../errors';
import { ED25519_SIGNATURE_BYTES, KeyCache, ed25519Pkcs8, ed25519Spki } from './ed25519-der';
import type { HashName } from '../suites';
import type { AesKey, CryptoBackend, HmacKey } from './types';

interface NodeAesKey {
  readonly mode: 'gcm' | 'ctr';
  readonly length: 16 | 32;
  readonly native: KeyObject;
  readonly gcm: 'aes-128-gcm' | 'aes-256-gcm';
  readonly ctr: 'aes-128-ctr' | 'aes-256-ctr';
}
interface NodeHmacKey {
  readonly hash: HashName;
  readonly algo: 'sha256' | 'sha512';
  readonly native: KeyObject | Uint8Array;
}

const ALGO = { 'SHA-256': 'sha256', 'SHA-512': 'sha512' } as const;
const TAG = 16;

export function createNodeBackend(): CryptoBackend {
  const edKeys = new KeyCache<KeyObject>();
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
      try {
        const key = edKeys.publicKey(publicKey, () =>
          createPublicKey({
            key: Buffer.from(ed25519Spki(publicKey).buffer),
            format: 'der',
            type: 'spki',
          }),
        );
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
        native: createSecretKey(key),
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
    randomBytes(length) {
      return randomFillSync(new Uint8Array(length));
    },
  };
}
