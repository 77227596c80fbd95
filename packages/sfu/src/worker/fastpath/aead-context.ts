/**
 * AES-128-GCM for SRTP and SRTCP (RFC 7714 §8, §9) with one context per session key.
 *
 * node:crypto sets a cipher up on every createCipheriv/createDecipheriv (about 4.5-5.5 us of a
 * 1200-octet packet's 5-6 us here); libsrtp, like Janus, keeps one context per key and changes
 * only the IV per packet. The `conclave-aead-native` addon (packages/aead-native) does the same
 * with the OpenSSL inside Node (AES-NI and carry-less-multiply GHASH, constant time), about 0.8 us
 * a packet. When the addon was not built, node:crypto does the work, with the same results byte
 * for byte (./aead-context.test.ts). CONCLAVE_SFU_NATIVE_AEAD=0 forces node:crypto (comparisons).
 *
 * A context belongs to one key: never reuse one across keys (each SRTP/SRTCP direction of each
 * DTLS session makes its own).
 */
import { createCipheriv, createDecipheriv, createSecretKey, type KeyObject } from 'node:crypto';
import nativeAead from 'conclave-aead-native';

export const GCM_KEY_LENGTH = 16;
export const GCM_IV_LENGTH = 12;
export const GCM_TAG_LENGTH = 16;

export interface Aes128GcmContext {
  /**
   * Encrypts `plaintext` under `iv` with `aad` authenticated, writing ciphertext || tag into
   * `out` from `outOffset` (which must have room); returns the octets written.
   */
  seal(iv: Buffer, aad: Buffer, plaintext: Uint8Array, out: Buffer, outOffset: number): number;
  /**
   * Checks `tag` over `aad` and `ciphertext` and decrypts into `out` from `outOffset` (which may
   * be where `ciphertext` is, for in-place decryption); returns the plaintext length, or -1 when
   * the tag does not verify (`out` then holds no plaintext to use).
   */
  open(
    iv: Buffer,
    aad: Buffer,
    ciphertext: Uint8Array,
    tag: Uint8Array,
    out: Buffer,
    outOffset: number,
  ): number;
  /**
   * Opens a packet as received, `packet` = AAD (its first `aadLength` octets) || ciphertext ||
   * 16-octet tag (RFC 7714 §8): the plaintext replaces the ciphertext in place. Returns the
   * plaintext length, or -1 when the tag does not verify. One call and no sub-views per packet.
   */
  openInPlace(iv: Buffer, packet: Buffer, aadLength: number): number;
}

export type AeadImplementation = 'openssl-context-per-key' | 'node-crypto';

/** Which implementation this thread uses (for a start-up log line; says nothing of keys). */
export const aeadImplementation = (): AeadImplementation =>
  nativeAead && process.env.CONCLAVE_SFU_NATIVE_AEAD !== '0'
    ? 'openssl-context-per-key'
    : 'node-crypto';

const checkKey = (key: Uint8Array): void => {
  if (key.length !== GCM_KEY_LENGTH) throw new TypeError('AES-128-GCM needs a 16-octet key');
};

const checkIv = (iv: Uint8Array): void => {
  if (iv.length !== GCM_IV_LENGTH) throw new TypeError('the SRTP AEAD IV has 12 octets');
};

/** The addon's context: the key schedule lives in OpenSSL, freed when this object is collected. */
class NativeGcmContext implements Aes128GcmContext {
  readonly #binding: NonNullable<typeof nativeAead>;
  readonly #context: ReturnType<NonNullable<typeof nativeAead>['create']>;

  constructor(binding: NonNullable<typeof nativeAead>, key: Uint8Array) {
    this.#binding = binding;
    this.#context = binding.create(key);
  }

  seal(iv: Buffer, aad: Buffer, plaintext: Uint8Array, out: Buffer, outOffset: number): number {
    return this.#binding.seal(this.#context, iv, aad, plaintext, out, outOffset);
  }

  open(
    iv: Buffer,
    aad: Buffer,
    ciphertext: Uint8Array,
    tag: Uint8Array,
    out: Buffer,
    outOffset: number,
  ): number {
    return this.#binding.open(this.#context, iv, aad, ciphertext, tag, out, outOffset);
  }

  openInPlace(iv: Buffer, packet: Buffer, aadLength: number): number {
    return this.#binding.openInPlace(this.#context, iv, packet, aadLength);
  }
}

/** node:crypto: a cipher object per call, under a KeyObject made once. */
export class NodeCryptoGcmContext implements Aes128GcmContext {
  readonly #key: KeyObject;

  constructor(key: Uint8Array) {
    checkKey(key);
    this.#key = createSecretKey(key);
  }

  seal(iv: Buffer, aad: Buffer, plaintext: Uint8Array, out: Buffer, outOffset: number): number {
    checkIv(iv);
    if (out.length - outOffset < plaintext.length + GCM_TAG_LENGTH) {
      throw new RangeError('out has no room for the ciphertext and tag');
    }
    const cipher = createCipheriv('aes-128-gcm', this.#key, iv);
    cipher.setAAD(aad);
    const encrypted = cipher.update(plaintext);
    cipher.final();
    encrypted.copy(out, outOffset);
    cipher.getAuthTag().copy(out, outOffset + encrypted.length);
    return encrypted.length + GCM_TAG_LENGTH;
  }

  open(
    iv: Buffer,
    aad: Buffer,
    ciphertext: Uint8Array,
    tag: Uint8Array,
    out: Buffer,
    outOffset: number,
  ): number {
    checkIv(iv);
    // node:crypto would take a shorter tag (down to 4 octets): RFC 7714 §8 has 16
    if (tag.length !== GCM_TAG_LENGTH) throw new TypeError('the SRTP AEAD tag has 16 octets');
    if (out.length - outOffset < ciphertext.length) {
      throw new RangeError('out has no room for the plaintext');
    }
    const decipher = createDecipheriv('aes-128-gcm', this.#key, iv);
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    const plain = decipher.update(ciphertext);
    try {
      decipher.final();
    } catch {
      return -1;
    }
    plain.copy(out, outOffset);
    return plain.length;
  }

  openInPlace(iv: Buffer, packet: Buffer, aadLength: number): number {
    if (aadLength < 0 || packet.length - aadLength < GCM_TAG_LENGTH) {
      throw new RangeError('packet has no room for the AAD and the tag');
    }
    const tagOffset = packet.length - GCM_TAG_LENGTH;
    return this.open(
      iv,
      packet.subarray(0, aadLength),
      packet.subarray(aadLength, tagOffset),
      packet.subarray(tagOffset),
      packet,
      aadLength,
    );
  }
}

/** The addon's context, if it was built (see packages/aead-native), or undefined. */
export const createNativeGcmContext = (key: Uint8Array): Aes128GcmContext | undefined => {
  if (!nativeAead) return undefined;
  checkKey(key);
  return new NativeGcmContext(nativeAead, key);
};

/** A context for `key`, in the implementation `aeadImplementation()` names. */
export const createGcmContext = (key: Uint8Array): Aes128GcmContext =>
  (aeadImplementation() === 'openssl-context-per-key' && createNativeGcmContext(key)) ||
  new NodeCryptoGcmContext(key);
