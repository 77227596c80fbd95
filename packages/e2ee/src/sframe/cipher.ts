// RFC 9605 §4.4.3 Encryption, §4.4.4 Decryption and §4.5.1 AES-CTR with SHA2.
import { E2eeError } from '../errors';
import type { AesKey, CryptoBackend, HmacKey } from './backend/types';
import { decodeHeader, encodeHeaderInto, headerLength, MAX_U64 } from './header';
import type { CipherSuite } from './suites';

/** An AEAD key imported for one suite on one backend. */
export interface AeadKey {
  readonly suite: CipherSuite;
  readonly backend: CryptoBackend;
  readonly aes: AesKey;
  /** Only for the CTR+HMAC suites (RFC 9605 §4.5.1). */
  readonly auth: HmacKey | undefined;
}

/** Everything needed to protect frames under one KID. */
export interface SFrameKey {
  readonly kid: bigint;
  readonly salt: Uint8Array;
  readonly aead: AeadKey;
}

function rejected(e: unknown): Promise<never> {
  return Promise.reject(e instanceof Error ? e : new Error(String(e)));
}

function assertLength(what: string, actual: number, expected: number): void {
  if (actual !== expected)
    throw new E2eeError('E2EE_ERR_BAD_LENGTH', `${what}: ${actual} != ${expected}`);
}

/** RFC 9605 §4.5.1: enc_key = key[..Nka], auth_key = key[Nka..]; GCM suites use the key as is. */
export async function importAeadKey(
  backend: CryptoBackend,
  suite: CipherSuite,
  key: Uint8Array,
): Promise<AeadKey> {
  assertLength('AEAD key', key.length, suite.nk);
  if (suite.aead === 'gcm') {
    return { suite, backend, aes: await backend.importAesKey('gcm', key), auth: undefined };
  }
  const aes = await backend.importAesKey('ctr', key.subarray(0, suite.nka));
  const auth = await backend.importHmacKey(suite.hash, key.subarray(suite.nka));
  return { suite, backend, aes, auth };
}

export async function importSFrameKey(
  backend: CryptoBackend,
  suite: CipherSuite,
  kid: bigint,
  key: Uint8Array,
  salt: Uint8Array,
): Promise<SFrameKey> {
  assertLength('salt', salt.length, suite.nn);
  return { kid, salt: salt.slice(), aead: await importAeadKey(backend, suite, key) };
}

function u64(out: Uint8Array, offset: number, v: number): void {
  new DataView(out.buffer, out.byteOffset, out.byteLength).setBigUint64(offset, BigInt(v));
}

/**
 * RFC 9605 §4.5.1 compute_tag:
 *   auth_data = encode_big_endian(len(aad), 8) || encode_big_endian(len(ct), 8)
 *            || encode_big_endian(Nt, 8) || nonce || aad || ct
 *   tag = truncate(HMAC(auth_key, auth_data), Nt)
 */
async function computeTag(
  k: AeadKey,
  auth: HmacKey,
  nonce: Uint8Array,
  aad: Uint8Array,
  ct: Uint8Array,
): Promise<Uint8Array> {
  const nt = k.suite.nt;
  const data = new Uint8Array(24 + nonce.length + aad.length + ct.length);
  u64(data, 0, aad.length);
  u64(data, 8, ct.length);
  u64(data, 16, nt);
  data.set(nonce, 24);
  data.set(aad, 24 + nonce.length);
  data.set(ct, 24 + nonce.length + aad.length);
  const mac = await k.backend.hmacWithKey(auth, data);
  return mac.subarray(0, nt);
}

/** RFC 9605 §4.5.1: initial_counter = nonce || 0x00000000. */
function counterBlock(nonce: Uint8Array): Uint8Array {
  const block = new Uint8Array(16);
  block.set(nonce, 0);
  return block;
}

/** Constant-time equality for tags we verify ourselves (the HMAC of the CTR suites). */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/**
 * AEAD.Encrypt(key, nonce, aad, pt) for the suite; returns prefix || ciphertext || tag.
 * Not `async`: the per-frame path avoids extra promise layers; errors still arrive as rejections.
 */
export function aeadEncrypt(
  k: AeadKey,
  nonce: Uint8Array,
  aad: Uint8Array,
  pt: Uint8Array,
  prefix?: Uint8Array,
): Promise<Uint8Array> {
  try {
    assertLength('nonce', nonce.length, k.suite.nn);
  } catch (e) {
    return rejected(e);
  }
  if (k.auth === undefined) return k.backend.aesGcmSeal(k.aes, nonce, aad, pt, prefix);
  return ctrHmacEncrypt(k, k.auth, nonce, aad, pt, prefix);
}

// RFC 9605 §4.5.1 AEAD.Encrypt: ct = AES-CTR.Encrypt(enc_key, initial_counter, pt); ct || tag.
async function ctrHmacEncrypt(
  k: AeadKey,
  auth: HmacKey,
  nonce: Uint8Array,
  aad: Uint8Array,
  pt: Uint8Array,
  prefix: Uint8Array | undefined,
): Promise<Uint8Array> {
  const ct = await k.backend.aesCtr(k.aes, counterBlock(nonce), pt);
  const tag = await computeTag(k, auth, nonce, aad, ct);
  const p = prefix ? prefix.length : 0;
  const out = new Uint8Array(p + ct.length + tag.length);
  if (prefix) out.set(prefix, 0);
  out.set(ct, p);
  out.set(tag, p + ct.length);
  return out;
}

/** AEAD.Decrypt(key, nonce, aad, ct); rejects with E2EE_ERR_AUTH_FAILED on any mismatch. */
export function aeadDecrypt(
  k: AeadKey,
  nonce: Uint8Array,
  aad: Uint8Array,
  ct: Uint8Array,
): Promise<Uint8Array> {
  try {
    assertLength('nonce', nonce.length, k.suite.nn);
    if (ct.length < k.suite.nt)
      throw new E2eeError('E2EE_ERR_AUTH_FAILED', 'ciphertext shorter than tag');
  } catch (e) {
    return rejected(e);
  }
  if (k.auth === undefined) return k.backend.aesGcmOpen(k.aes, nonce, aad, ct);
  return ctrHmacDecrypt(k, k.auth, nonce, aad, ct);
}

// RFC 9605 §4.5.1 AEAD.Decrypt: verify the tag first, in constant time, then decrypt.
async function ctrHmacDecrypt(
  k: AeadKey,
  auth: HmacKey,
  nonce: Uint8Array,
  aad: Uint8Array,
  ct: Uint8Array,
): Promise<Uint8Array> {
  const body = ct.subarray(0, ct.length - k.suite.nt);
  const tag = ct.subarray(ct.length - k.suite.nt);
  const expected = await computeTag(k, auth, nonce, aad, body);
  if (!constantTimeEqual(expected, tag)) throw new E2eeError('E2EE_ERR_AUTH_FAILED');
  return k.backend.aesCtr(k.aes, counterBlock(nonce), body);
}

/** RFC 9605 §4.4.3: nonce = sframe_salt XOR encode_big_endian(CTR, AEAD.Nn). */
export function formNonce(salt: Uint8Array, ctr: bigint): Uint8Array {
  if (ctr < 0n || ctr > MAX_U64) throw new TypeError('ctr must be in [0, 2^64-1]');
  const nonce = salt.slice();
  const n = nonce.length;
  let hi: number;
  let lo: number;
  if (ctr <= 0xffffffffn) {
    hi = 0;
    lo = Number(ctr);
  } else {
    hi = Number(ctr >> 32n);
    lo = Number(ctr & 0xffffffffn);
  }
  for (let i = 0; i < 4; i++) {
    nonce[n - 1 - i]! ^= lo & 0xff;
    lo >>>= 8;
    nonce[n - 5 - i]! ^= hi & 0xff;
    hi >>>= 8;
  }
  return nonce;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (b.length === 0) return a;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/**
 * RFC 9605 §4.4.3 encrypt(CTR, KID, metadata, plaintext):
 *   header = encode_sframe_header(CTR, KID); aad = header || metadata
 *   ciphertext = AEAD.Encrypt(sframe_key, nonce, aad, plaintext); return header || ciphertext
 */
export function sframeEncrypt(
  key: SFrameKey,
  ctr: bigint,
  metadata: Uint8Array,
  plaintext: Uint8Array,
): Promise<Uint8Array> {
  let header: Uint8Array;
  let nonce: Uint8Array;
  try {
    header = new Uint8Array(headerLength(key.kid, ctr));
    encodeHeaderInto(header, 0, key.kid, ctr);
    nonce = formNonce(key.salt, ctr);
  } catch (e) {
    return rejected(e);
  }
  return aeadEncrypt(key.aead, nonce, concat(header, metadata), plaintext, header);
}

/**
 * RFC 9605 §4.4.4 decrypt(metadata, sframe_ciphertext) once the key for the header's KID is known.
 * `headerLength` comes from decodeHeader on the same bytes.
 */
export function sframeDecryptWithKey(
  key: SFrameKey,
  ctr: bigint,
  headerLen: number,
  metadata: Uint8Array,
  sframeCiphertext: Uint8Array,
): Promise<Uint8Array> {
  const header = sframeCiphertext.subarray(0, headerLen);
  const ciphertext = sframeCiphertext.subarray(headerLen);
  const nonce = formNonce(key.salt, ctr);
  return aeadDecrypt(key.aead, nonce, concat(header, metadata), ciphertext);
}

/** RFC 9605 §4.4.4 for a single key: parse the header, check the KID, decrypt. */
export async function sframeDecrypt(
  key: SFrameKey,
  metadata: Uint8Array,
  sframeCiphertext: Uint8Array,
): Promise<Uint8Array> {
  const h = decodeHeader(sframeCiphertext);
  if (h.kid !== key.kid) throw new E2eeError('E2EE_ERR_UNKNOWN_KID');
  return sframeDecryptWithKey(key, h.ctr, h.length, metadata, sframeCiphertext);
}
