// RFC 5869 HKDF over the backend's HMAC (RFC 9605 §4.4.2 uses HKDF-Extract and HKDF-Expand
// separately, which WebCrypto's one-shot HKDF does not expose).
import { E2eeError } from '../errors';
import type { CryptoBackend } from './backend/types';
import type { HashName } from './suites';

const HASH_LEN: Record<HashName, number> = { 'SHA-256': 32, 'SHA-512': 64 };

/** RFC 5869 §2.2: PRK = HMAC-Hash(salt, IKM); an empty salt means Nh zero bytes. */
export async function hkdfExtract(
  backend: CryptoBackend,
  hash: HashName,
  salt: Uint8Array,
  ikm: Uint8Array,
): Promise<Uint8Array> {
  return backend.hmac(hash, salt.length ? salt : new Uint8Array(HASH_LEN[hash]), ikm);
}

/** RFC 5869 §2.3: T(i) = HMAC-Hash(PRK, T(i-1) || info || i), L <= 255 * Nh. */
export async function hkdfExpand(
  backend: CryptoBackend,
  hash: HashName,
  prk: Uint8Array,
  info: Uint8Array,
  length: number,
): Promise<Uint8Array> {
  const nh = HASH_LEN[hash];
  if (prk.length < nh) throw new E2eeError('E2EE_ERR_BAD_LENGTH', 'HKDF PRK shorter than Nh');
  if (!Number.isInteger(length) || length < 0 || length > 255 * nh) {
    throw new TypeError('HKDF-Expand length out of range');
  }
  const key = await backend.importHmacKey(hash, prk);
  const out = new Uint8Array(length);
  let prev: Uint8Array = new Uint8Array(0);
  for (let i = 1, off = 0; off < length; i++) {
    const input = new Uint8Array(prev.length + info.length + 1);
    input.set(prev, 0);
    input.set(info, prev.length);
    input[input.length - 1] = i;
    prev = await backend.hmacWithKey(key, input);
    out.set(prev.subarray(0, Math.min(nh, length - off)), off);
    off += nh;
  }
  return out;
}
