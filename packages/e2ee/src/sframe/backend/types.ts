// The primitives SFrame and MLS need, behind one interface so the same RFC 9605 / RFC 9420 code
// runs on WebCrypto (browsers, workers) and node:crypto (Node). Keys are opaque handles created by
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
  /** SHA-2 digest (MLS tree, transcript and reference hashes, RFC 9420 §5.2, §8.2). */
  digest(hash: HashName, data: Uint8Array): Promise<Uint8Array>;
  /**
   * RFC 8032 Ed25519 signature (RFC 9420 §5.1.2 SignWithLabel). `privateKey` is the 32-byte seed
   * or its RFC 8410 PKCS #8 encoding (what WebCrypto exports); the backend keeps imported keys
   * for the life of the byte array that holds them, never by value.
   */
  ed25519Sign(privateKey: Uint8Array, message: Uint8Array): Promise<Uint8Array>;
  /** False for a bad signature or a malformed key, never a throw. */
  ed25519Verify(
    publicKey: Uint8Array,
    message: Uint8Array,
    signature: Uint8Array,
  ): Promise<boolean>;
  /**
   * RFC 7748 X25519 for HPKE's DHKEM (RFC 9180 §7.1; MLS init, leaf and path keys, RFC 9420
   * §5.1.3). Keys are raw 32-byte strings; imported keys are kept per byte array, like Ed25519.
   */
  x25519GenerateKeyPair(): Promise<{ privateKey: Uint8Array; publicKey: Uint8Array }>;
  /** The public key of a raw private key (RFC 9180 §7.1.3 DeriveKeyPair's pk(sk)). */
  x25519PublicKey(privateKey: Uint8Array): Promise<Uint8Array>;
  /** DH(sk, pk); throws E2EE_ERR_AUTH_FAILED for an all-zero result (RFC 9180 §7.1.4). */
  x25519(privateKey: Uint8Array, publicKey: Uint8Array): Promise<Uint8Array>;
  /** Cryptographically secure random bytes. */
  randomBytes(length: number): Uint8Array;
}
