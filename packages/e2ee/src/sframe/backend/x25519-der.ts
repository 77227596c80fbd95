// Raw X25519 keys (RFC 7748) for HPKE's DHKEM(X25519, HKDF-SHA256), RFC 9180 §7.1: WebCrypto
// imports a raw private scalar only as RFC 8410 PKCS #8 (or JWK).
import { E2eeError } from '../../errors';
import { derPrefixed, OID_ARC_X25519, okpPkcs8Prefix } from './okp-der';

/** RFC 8410 §7 PrivateKeyInfo prefix for a 32-byte X25519 private key (OID 1.3.101.110). */
const PKCS8_PREFIX = okpPkcs8Prefix(OID_ARC_X25519);
/** RFC 9180 §7.1: Nsk = Npk = Ndh = 32 for X25519. */
export const X25519_KEY_BYTES = 32;

const prefixed = (prefix: Uint8Array, key: Uint8Array, what: string): Uint8Array<ArrayBuffer> => {
  if (key.length !== X25519_KEY_BYTES) throw new E2eeError('E2EE_ERR_BAD_LENGTH', what);
  return derPrefixed(prefix, key);
};

export const x25519Pkcs8 = (privateKey: Uint8Array) =>
  prefixed(PKCS8_PREFIX, privateKey, 'X25519 private key');

/** The raw key at the end of a PKCS #8 encoding made by the platform. */
export const rawKeyOf = (der: Uint8Array): Uint8Array =>
  new Uint8Array(der.subarray(der.length - X25519_KEY_BYTES));

/**
 * RFC 7748 §6.1 / RFC 9180 §7.1.4: an all-zero shared secret (a small-order public key) is
 * refused. Constant time over the 32 bytes.
 */
export function checkSharedSecret(dh: Uint8Array): Uint8Array {
  let acc = 0;
  for (const b of dh) acc |= b;
  if (dh.length !== X25519_KEY_BYTES || acc === 0)
    throw new E2eeError('E2EE_ERR_AUTH_FAILED', 'X25519 shared secret is zero');
  return dh;
}
