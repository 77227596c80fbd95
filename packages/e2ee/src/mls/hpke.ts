// RFC 9180 HPKE, mode_base, for MLS ciphersuite 1: DHKEM(X25519, HKDF-SHA256) (KEM 0x0020),
// HKDF-SHA256 (KDF 0x0001), AES-128-GCM (AEAD 0x0001), on our CryptoBackend. ts-mls's default
// (@hpke/core) imports a WebCrypto key for every X25519, HKDF and AES step; joining a group from
// a Welcome or making a Commit with an UpdatePath did dozens of those (issue 18: breakout rooms).
// Same algorithm, same bytes: the RFC 9420 vectors (encrypt_with_label, treekem, welcome) run on
// this implementation, and a test checks it against @hpke/core both ways.
import type { Hpke, PrivateKey, PublicKey } from 'ts-mls';
import { CryptoError } from 'ts-mls/mlsError.js';
import { E2eeError } from '../errors';
import type { CryptoBackend } from '../sframe/backend/types';
import { X25519_KEY_BYTES } from '../sframe/backend/x25519-der';
import { hkdfExpand, hkdfExtract } from '../sframe/hkdf';

const HASH = 'SHA-256' as const;
const enc = new TextEncoder();
const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
};
const EMPTY = new Uint8Array(0);
const VERSION = enc.encode('HPKE-v1');
/** §4.1: suite_id = "KEM" || I2OSP(kem_id, 2). */
const KEM_SUITE = concat(enc.encode('KEM'), Uint8Array.of(0x00, 0x20));
/** §5.1: suite_id = "HPKE" || I2OSP(kem_id, 2) || I2OSP(kdf_id, 2) || I2OSP(aead_id, 2). */
const HPKE_SUITE = concat(enc.encode('HPKE'), Uint8Array.of(0x00, 0x20, 0x00, 0x01, 0x00, 0x01));
/** §7.3 AES-128-GCM: Nk = 16, Nn = 12; §7.2 HKDF-SHA256: Nh = 32. */
const NK = 16;
const NN = 12;
const NH = 32;
/** §5: mode_base. */
const MODE_BASE = 0x00;

/** The key handles ts-mls passes around: raw keys (never leave the worker that made them). */
interface XPrivate {
  readonly kind: 'x25519-private';
  readonly sk: Uint8Array;
  pk?: Uint8Array;
}
interface XPublic {
  readonly kind: 'x25519-public';
  readonly pk: Uint8Array;
}
const asPrivate = (k: PrivateKey) => k as unknown as XPrivate;
const asPublic = (k: PublicKey) => k as unknown as XPublic;
const privateKey = (sk: Uint8Array, pk?: Uint8Array): PrivateKey =>
  ({ kind: 'x25519-private', sk, ...(pk ? { pk } : {}) }) as unknown as PrivateKey;
const publicKey = (pk: Uint8Array): PublicKey =>
  ({ kind: 'x25519-public', pk }) as unknown as PublicKey;

function checkKey(k: Uint8Array, what: string): Uint8Array {
  if (k.length !== X25519_KEY_BYTES) throw new E2eeError('E2EE_ERR_BAD_LENGTH', what);
  return k;
}

export function makeHpke(backend: CryptoBackend): Hpke {
  /** §4: LabeledExtract(salt, label, ikm). */
  const labeledExtract = (suite: Uint8Array, salt: Uint8Array, label: string, ikm: Uint8Array) =>
    hkdfExtract(backend, HASH, salt, concat(VERSION, suite, enc.encode(label), ikm));
  /** §4: LabeledExpand(prk, label, info, L). */
  const labeledExpand = (
    suite: Uint8Array,
    prk: Uint8Array,
    label: string,
    info: Uint8Array,
    length: number,
  ) =>
    hkdfExpand(
      backend,
      HASH,
      prk,
      concat(Uint8Array.of(length >> 8, length & 0xff), VERSION, suite, enc.encode(label), info),
      length,
    );

  async function publicOf(k: XPrivate): Promise<Uint8Array> {
    k.pk ??= await backend.x25519PublicKey(k.sk);
    return k.pk;
  }

  /** §4.1 DHKEM ExtractAndExpand(dh, kem_context). */
  async function extractAndExpand(dh: Uint8Array, kemContext: Uint8Array): Promise<Uint8Array> {
    const prk = await labeledExtract(KEM_SUITE, EMPTY, 'eae_prk', dh);
    return labeledExpand(KEM_SUITE, prk, 'shared_secret', kemContext, NH);
  }

  /** §4.1 Encap(pkR): a fresh ephemeral key pair. */
  async function encap(pkR: Uint8Array): Promise<{ sharedSecret: Uint8Array; enc: Uint8Array }> {
    const e = await backend.x25519GenerateKeyPair();
    const dh = await backend.x25519(e.privateKey, pkR);
    e.privateKey.fill(0);
    return { sharedSecret: await extractAndExpand(dh, concat(e.publicKey, pkR)), enc: e.publicKey };
  }

  /** §4.1 Decap(enc, skR). */
  async function decap(encapsulated: Uint8Array, skR: XPrivate): Promise<Uint8Array> {
    const dh = await backend.x25519(skR.sk, checkKey(encapsulated, 'HPKE enc'));
    return extractAndExpand(dh, concat(encapsulated, await publicOf(skR)));
  }

  /** §5.1 KeySchedule(mode_base, shared_secret, info, default_psk, default_psk_id). */
  async function keySchedule(sharedSecret: Uint8Array, info: Uint8Array) {
    const pskIdHash = await labeledExtract(HPKE_SUITE, EMPTY, 'psk_id_hash', EMPTY);
    const infoHash = await labeledExtract(HPKE_SUITE, EMPTY, 'info_hash', info);
    const context = concat(Uint8Array.of(MODE_BASE), pskIdHash, infoHash);
    const secret = await labeledExtract(HPKE_SUITE, sharedSecret, 'secret', EMPTY);
    const [key, baseNonce, exporterSecret] = await Promise.all([
      labeledExpand(HPKE_SUITE, secret, 'key', context, NK),
      labeledExpand(HPKE_SUITE, secret, 'base_nonce', context, NN),
      labeledExpand(HPKE_SUITE, secret, 'exp', context, NH),
    ]);
    return { key, baseNonce, exporterSecret };
  }

  /** §5.3 Export(exporter_context, L). */
  const exportFrom = (exporterSecret: Uint8Array, context: Uint8Array, length: number) =>
    labeledExpand(HPKE_SUITE, exporterSecret, 'sec', context, length);

  // §5.2: a single-shot message uses sequence number 0, so its nonce is base_nonce.
  const aeadSeal = async (key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, pt: Uint8Array) =>
    backend.aesGcmSeal(await backend.importAesKey('gcm', checkKey16(key)), nonce, aad, pt);
  const aeadOpen = async (key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, ct: Uint8Array) =>
    backend.aesGcmOpen(await backend.importAesKey('gcm', checkKey16(key)), nonce, aad, ct);

  // ts-mls expects its CryptoError from a failed decryption or import.
  const asCryptoError = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (e) {
      throw new CryptoError(`${String(e)}`);
    }
  };

  return {
    // §6.1 single-shot APIs.
    async seal(pk, plaintext, info, aad) {
      const { sharedSecret, enc: encapsulated } = await encap(asPublic(pk).pk);
      const { key, baseNonce } = await keySchedule(sharedSecret, info);
      return { ct: await aeadSeal(key, baseNonce, aad ?? EMPTY, plaintext), enc: encapsulated };
    },
    open(sk, kemOutput, ciphertext, info, aad) {
      return asCryptoError(async () => {
        const { key, baseNonce } = await keySchedule(await decap(kemOutput, asPrivate(sk)), info);
        return aeadOpen(key, baseNonce, aad ?? EMPTY, ciphertext);
      });
    },
    // §6.2 single-shot secret export.
    async exportSecret(pk, exporterContext, length, info) {
      const { sharedSecret, enc: encapsulated } = await encap(asPublic(pk).pk);
      const { exporterSecret } = await keySchedule(sharedSecret, info);
      return {
        enc: encapsulated,
        secret: await exportFrom(exporterSecret, exporterContext, length),
      };
    },
    importSecret(sk, exporterContext, kemOutput, length, info) {
      return asCryptoError(async () => {
        const { exporterSecret } = await keySchedule(await decap(kemOutput, asPrivate(sk)), info);
        return exportFrom(exporterSecret, exporterContext, length);
      });
    },
    importPrivateKey: (k) =>
      asCryptoError(async () => privateKey(checkKey(k, 'X25519 private key').slice())),
    importPublicKey: (k) =>
      asCryptoError(async () => publicKey(checkKey(k, 'X25519 public key').slice())),
    exportPublicKey: async (k) => asPublic(k).pk.slice(),
    exportPrivateKey: async (k) => asPrivate(k).sk.slice(),
    // §7.1.3 DeriveKeyPair(ikm) for X25519: sk = LabeledExpand(dkp_prk, "sk", "", Nsk).
    async deriveKeyPair(ikm) {
      const dkpPrk = await labeledExtract(KEM_SUITE, EMPTY, 'dkp_prk', ikm);
      const sk = await labeledExpand(KEM_SUITE, dkpPrk, 'sk', EMPTY, X25519_KEY_BYTES);
      const pk = await backend.x25519PublicKey(sk);
      return { privateKey: privateKey(sk, pk), publicKey: publicKey(pk) };
    },
    async generateKeyPair() {
      const { privateKey: sk, publicKey: pk } = await backend.x25519GenerateKeyPair();
      return { privateKey: privateKey(sk, pk), publicKey: publicKey(pk) };
    },
    async encryptAead(key, nonce, aad, plaintext) {
      return aeadSeal(key, nonce, aad ?? EMPTY, plaintext);
    },
    decryptAead(key, nonce, aad, ciphertext) {
      return asCryptoError(() => aeadOpen(key, nonce, aad ?? EMPTY, ciphertext));
    },
    keyLength: NK,
    nonceLength: NN,
  };
}

function checkKey16(k: Uint8Array): Uint8Array {
  if (k.length !== NK) throw new E2eeError('E2EE_ERR_BAD_LENGTH', 'AES-128-GCM key');
  return k;
}
