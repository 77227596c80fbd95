// DER wrappings of raw Ed25519 keys: WebCrypto and node:crypto import no raw seed.
import { E2eeError } from '../../errors';
import { derPrefixed, OID_ARC_ED25519, okpPkcs8Prefix, okpSpkiPrefix } from './okp-der';

/** RFC 8410 §7 PrivateKeyInfo prefix for a 32-byte Ed25519 seed (OID 1.3.101.112). */
const PKCS8_PREFIX = okpPkcs8Prefix(OID_ARC_ED25519);
/** RFC 8410 §4 SubjectPublicKeyInfo prefix for a 32-byte Ed25519 public key. */
const SPKI_PREFIX = okpSpkiPrefix(OID_ARC_ED25519);

export const ED25519_PUBLIC_KEY_BYTES = 32;
export const ED25519_SIGNATURE_BYTES = 64;

/** A seed, or an RFC 8410 PKCS #8 private key as it is, as PKCS #8. */
export function ed25519Pkcs8(privateKey: Uint8Array): Uint8Array<ArrayBuffer> {
  if (privateKey.length === 32) return derPrefixed(PKCS8_PREFIX, privateKey);
  if (
    privateKey.length === PKCS8_PREFIX.length + 32 &&
    PKCS8_PREFIX.every((b, i) => privateKey[i] === b)
  )
    return privateKey.slice();
  throw new E2eeError('E2EE_ERR_BAD_LENGTH', 'Ed25519 private key');
}

export function ed25519Spki(publicKey: Uint8Array): Uint8Array<ArrayBuffer> {
  if (publicKey.length !== ED25519_PUBLIC_KEY_BYTES)
    throw new E2eeError('E2EE_ERR_BAD_LENGTH', 'Ed25519 public key');
  return derPrefixed(SPKI_PREFIX, publicKey);
}

/**
 * Imported keys, held per byte array (a private key is never turned into a map key), and public
 * keys by value in a bounded map (they are public).
 */
export class KeyCache<K> {
  readonly #byArray = new WeakMap<Uint8Array, K>();
  readonly #byValue = new Map<string, K>();
  readonly #max: number;

  constructor(max = 512) {
    this.#max = max;
  }

  privateKey(raw: Uint8Array, make: () => K): K {
    let k = this.#byArray.get(raw);
    if (k === undefined) {
      k = make();
      this.#byArray.set(raw, k);
    }
    return k;
  }

  publicKey(raw: Uint8Array, make: () => K): K {
    // One char per byte: a 32-byte key is one short call (the hex join cost ~20 us a lookup).
    const id = String.fromCharCode(...raw);
    let k = this.#byValue.get(id);
    if (k === undefined) {
      if (this.#byValue.size >= this.#max) this.#byValue.clear();
      k = make();
      this.#byValue.set(id, k);
    }
    return k;
  }
}
