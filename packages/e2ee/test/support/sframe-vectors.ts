// Checks for the RFC 9605 Appendix C vectors (shared/vectors/sframe/test-vectors.hexints.json),
// shared by the Node tests and the headless-Chromium page/worker run. Each check throws on mismatch.
import {
  aeadDecrypt,
  aeadEncrypt,
  formNonce,
  importAeadKey,
  importSFrameKey,
  sframeDecrypt,
  sframeEncrypt,
} from '../../src/sframe/cipher';
import { decodeHeader, encodeHeader } from '../../src/sframe/header';
import { derivationLabel, deriveKeySalt, sframeSecret } from '../../src/sframe/keys';
import { cipherSuite } from '../../src/sframe/suites';
import type { CryptoBackend } from '../../src/sframe/backend/types';

export interface HeaderCase {
  kid: string;
  ctr: string;
  encoded: string;
}
export interface CtrHmacCase {
  cipher_suite: string;
  key: string;
  enc_key: string;
  auth_key: string;
  nonce: string;
  aad: string;
  pt: string;
  ct: string;
}
export interface SFrameCase {
  cipher_suite: string;
  kid: string;
  ctr: string;
  base_key: string;
  sframe_key_label: string;
  sframe_salt_label: string;
  sframe_secret: string;
  sframe_key: string;
  sframe_salt: string;
  metadata: string;
  nonce: string;
  aad: string;
  pt: string;
  ct: string;
}
export interface SFrameVectors {
  header: HeaderCase[];
  aes_ctr_hmac: CtrHmacCase[];
  sframe: SFrameCase[];
}

export function hex(s: string): Uint8Array {
  if (s.length % 2) throw new Error('odd hex');
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function toHex(u: Uint8Array): string {
  let s = '';
  for (const b of u) s += b.toString(16).padStart(2, '0');
  return s;
}

function expectHex(what: string, actual: Uint8Array, expected: string): void {
  const a = toHex(actual);
  if (a !== expected) throw new Error(`${what}: got ${a}, want ${expected}`);
}

export function checkHeaderCase(c: HeaderCase): void {
  const kid = BigInt(c.kid);
  const ctr = BigInt(c.ctr);
  expectHex(`encode(${c.kid},${c.ctr})`, encodeHeader(kid, ctr), c.encoded);
  const d = decodeHeader(hex(c.encoded));
  if (d.kid !== kid || d.ctr !== ctr || d.length !== c.encoded.length / 2) {
    throw new Error(`decode(${c.encoded}) gave ${d.kid},${d.ctr},${d.length}`);
  }
}

export async function checkCtrHmacCase(backend: CryptoBackend, c: CtrHmacCase): Promise<void> {
  const suite = cipherSuite(Number(c.cipher_suite));
  const key = hex(c.key);
  expectHex('enc_key', key.subarray(0, suite.nka), c.enc_key);
  expectHex('auth_key', key.subarray(suite.nka), c.auth_key);
  const k = await importAeadKey(backend, suite, key);
  expectHex(
    `suite ${suite.id} encrypt`,
    await aeadEncrypt(k, hex(c.nonce), hex(c.aad), hex(c.pt)),
    c.ct,
  );
  expectHex(
    `suite ${suite.id} decrypt`,
    await aeadDecrypt(k, hex(c.nonce), hex(c.aad), hex(c.ct)),
    c.pt,
  );
}

export async function checkSFrameCase(backend: CryptoBackend, c: SFrameCase): Promise<void> {
  const suite = cipherSuite(Number(c.cipher_suite));
  const kid = BigInt(c.kid);
  const ctr = BigInt(c.ctr);
  const baseKey = hex(c.base_key);
  const tag = `suite ${suite.id}`;
  expectHex(`${tag} key label`, derivationLabel('key', kid, suite), c.sframe_key_label);
  expectHex(`${tag} salt label`, derivationLabel('salt', kid, suite), c.sframe_salt_label);
  expectHex(`${tag} secret`, await sframeSecret(backend, suite, baseKey), c.sframe_secret);
  const { key, salt } = await deriveKeySalt(backend, suite, kid, baseKey);
  expectHex(`${tag} key`, key, c.sframe_key);
  expectHex(`${tag} salt`, salt, c.sframe_salt);
  expectHex(`${tag} nonce`, formNonce(salt, ctr), c.nonce);
  const metadata = hex(c.metadata);
  const header = encodeHeader(kid, ctr);
  const aad = new Uint8Array(header.length + metadata.length);
  aad.set(header);
  aad.set(metadata, header.length);
  expectHex(`${tag} aad`, aad, c.aad);
  const sk = await importSFrameKey(backend, suite, kid, key, salt);
  expectHex(`${tag} encrypt`, await sframeEncrypt(sk, ctr, metadata, hex(c.pt)), c.ct);
  expectHex(`${tag} decrypt`, await sframeDecrypt(sk, metadata, hex(c.ct)), c.pt);
}

export interface VectorCounts {
  header: number;
  aesCtrHmac: number;
  sframe: number;
  failures: string[];
}

/** Runs every case and counts passes; used where per-case test reporting is unavailable. */
export async function runAllSFrameVectors(
  backend: CryptoBackend,
  v: SFrameVectors,
): Promise<VectorCounts> {
  const counts: VectorCounts = { header: 0, aesCtrHmac: 0, sframe: 0, failures: [] };
  for (const c of v.header) {
    try {
      checkHeaderCase(c);
      counts.header++;
    } catch (e) {
      counts.failures.push(String(e));
    }
  }
  for (const c of v.aes_ctr_hmac) {
    try {
      await checkCtrHmacCase(backend, c);
      counts.aesCtrHmac++;
    } catch (e) {
      counts.failures.push(String(e));
    }
  }
  for (const c of v.sframe) {
    try {
      await checkSFrameCase(backend, c);
      counts.sframe++;
    } catch (e) {
      counts.failures.push(String(e));
    }
  }
  return counts;
}
