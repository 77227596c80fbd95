// RFC 9605 §4.4.2 Key Derivation: derive_key_salt(KID, base_key).
import { E2eeError } from '../errors';
import type { CryptoBackend } from './backend/types';
import { MAX_U64 } from './header';
import { hkdfExpand, hkdfExtract } from './hkdf';
import type { CipherSuite } from './suites';

const KEY_LABEL = 'SFrame 1.0 Secret key ';
const SALT_LABEL = 'SFrame 1.0 Secret salt ';

export interface SFrameKeyMaterial {
  readonly key: Uint8Array;
  readonly salt: Uint8Array;
}

/** RFC 9605 §4.4.2: label || encode_big_endian(KID, 8) || encode_big_endian(cipher_suite, 2). */
export function derivationLabel(kind: 'key' | 'salt', kid: bigint, suite: CipherSuite): Uint8Array {
  if (kid < 0n || kid > MAX_U64) throw new TypeError('kid must be in [0, 2^64-1]');
  const prefix = new TextEncoder().encode(kind === 'key' ? KEY_LABEL : SALT_LABEL);
  const out = new Uint8Array(prefix.length + 10);
  out.set(prefix, 0);
  const view = new DataView(out.buffer);
  view.setBigUint64(prefix.length, kid);
  view.setUint16(prefix.length + 8, suite.id);
  return out;
}

/** RFC 9605 §4.4.2: sframe_secret = HKDF-Extract("", base_key). */
export async function sframeSecret(
  backend: CryptoBackend,
  suite: CipherSuite,
  baseKey: Uint8Array,
): Promise<Uint8Array> {
  return hkdfExtract(backend, suite.hash, new Uint8Array(0), baseKey);
}

/**
 * RFC 9605 §4.4.2:
 *   sframe_key  = HKDF-Expand(sframe_secret, sframe_key_label, AEAD.Nk)
 *   sframe_salt = HKDF-Expand(sframe_secret, sframe_salt_label, AEAD.Nn)
 */
export async function deriveKeySalt(
  backend: CryptoBackend,
  suite: CipherSuite,
  kid: bigint,
  baseKey: Uint8Array,
): Promise<SFrameKeyMaterial> {
  if (baseKey.length === 0) throw new E2eeError('E2EE_ERR_BAD_LENGTH', 'empty base_key');
  const secret = await sframeSecret(backend, suite, baseKey);
  const key = await hkdfExpand(
    backend,
    suite.hash,
    secret,
    derivationLabel('key', kid, suite),
    suite.nk,
  );
  const salt = await hkdfExpand(
    backend,
    suite.hash,
    secret,
    derivationLabel('salt', kid, suite),
    suite.nn,
  );
  return { key, salt };
}
