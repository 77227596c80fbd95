// The primitives SFrame needs, behind one interface so the same RFC 9605 code runs on
// WebCrypto (browsers, workers) and node:crypto (Node). Keys are opaque handles created by
// the backend that uses them; a handle from one backend must not be passed to another.
import type { HashName } from '../suites';

declare const keyBrand: unique symbol;

/** An imported AES key (GCM or CTR mode). */
export interface AesKey {
  readonly [keyBrand]: 'aes';
  readonly mode: 'gcm' | 'ctr';
  readonly length: 16 | 32;
}

/** An imported HMAC key. */
export interface HmacKey {
  readonly [keyBrand]: 'hmac';
  readonly hash: HashName;
}

export interface CryptoBackend {
  readonly name: 'webcrypto' | 'node';
  /** One-shot HMAC (used for HKDF; the key may be empty). */
  hmac(hash: HashName, key: Uint8Array, data: Uint8Array): Promise<Uint8Array>;
  importHmacKey(hash: HashName, key: Uint8Array): Promise<HmacKey>;
  hmacWithKey(key: HmacKey, data: Uint8Array): Promise<Uint8Array>;
  importAesKey(mode: 'gcm' | 'ctr', key: Uint8Array): Promise<AesKey>;
  /**
   * AES-GCM with a 16-byte tag; returns prefix || ciphertext || tag. The optional prefix (the
   * SFrame header) lets a backend write everything into one buffer instead of copying twice.
   */
  aesGcmSeal(
    key: AesKey,
    nonce: Uint8Array,
    aad: Uint8Array,
    plaintext: Uint8Array,
    prefix?: Uint8Array,
  ): Promise<Uint8Array>;
  /** Throws E2eeError E2EE_ERR_AUTH_FAILED if the tag does not verify. */
  aesGcmOpen(
    key: AesKey,
    nonce: Uint8Array,
    aad: Uint8Array,
    ciphertext: Uint8Array,
  ): Promise<Uint8Array>;
  /** AES-CTR keystream XOR with a 16-byte initial counter block (full 128-bit counter). */
  aesCtr(key: AesKey, counterBlock: Uint8Array, data: Uint8Array): Promise<Uint8Array>;
  /** Cryptographically secure random bytes. */
  randomBytes(length: number): Uint8Array;
}
