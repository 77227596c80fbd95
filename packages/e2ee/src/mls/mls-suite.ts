// Ciphersuite 0x0001 (MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519, RFC 9420 §17.1) for ts-mls
// on our CryptoBackend: node:crypto in Node, WebCrypto in browsers and workers. ts-mls's default
// imports a fresh WebCrypto key for every HMAC, AES-GCM and Ed25519 operation (a PKCS #8
// Ed25519 import alone costs ~1 ms in Node), which made each chat message cost milliseconds.
// Same algorithms, same bytes: the RFC 9420 test vectors run against this suite too
// (vectors*.test.ts). HPKE is ours too (hpke.ts, RFC 9180 on the same backend).
import { getCiphersuiteFromName, getCiphersuiteImpl, type CiphersuiteImpl } from 'ts-mls';
import { constantTimeEqual } from 'ts-mls/util/constantTimeCompare.js';
import { E2eeError } from '../errors';
import type { CryptoBackend } from '../sframe/backend/types';
import { createWebCryptoBackend } from '../sframe/backend/webcrypto';
import { hkdfExpand, hkdfExtract } from '../sframe/hkdf';
import { makeHpke } from './hpke';
import { OwnSignatures, rememberKeyPair } from './own-signatures';

export const MLS_CIPHERSUITE = 'MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519' as const;
const HASH = 'SHA-256' as const;
/** RFC 9420 §5.1: Nh of SHA-256. */
const NH = 32;

/** The backend each suite built here runs on. */
const backends = new WeakMap<CiphersuiteImpl, CryptoBackend>();

async function build(backend: CryptoBackend): Promise<CiphersuiteImpl> {
  const base = await getCiphersuiteImpl(getCiphersuiteFromName(MLS_CIPHERSUITE));
  const own = new OwnSignatures();
  const suite: CiphersuiteImpl = {
    ...base,
    // RFC 9420 §5.1 KDF = HKDF-SHA256 (RFC 5869).
    kdf: {
      extract: (salt, ikm) => hkdfExtract(backend, HASH, salt, ikm),
      expand(prk, info, len) {
        // RFC 5869 §2.3 with L <= Nh is T(1) = HMAC(PRK, info || 0x01): one HMAC, no key import
        // (every MLS secret, key and nonce is at most Nh bytes).
        if (len < 1 || len > NH || prk.length < NH)
          return hkdfExpand(backend, HASH, prk, info, len);
        const input = new Uint8Array(info.length + 1);
        input.set(info, 0);
        input[info.length] = 1;
        return backend.hmac(HASH, prk, input).then((t) => (len === NH ? t : t.slice(0, len)));
      },
      size: NH,
    },
    // RFC 9420 §5.1 Hash and MAC = SHA-256 and HMAC-SHA256.
    hash: {
      digest: (data) => backend.digest(HASH, data),
      mac: (key, data) => backend.hmac(HASH, key, data),
      async verifyMac(key, mac, data) {
        return constantTimeEqual(await backend.hmac(HASH, key, data), mac);
      },
    },
    // RFC 9420 §5.1 HPKE = DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-128-GCM (RFC 9180); its
    // AEAD is also the one ts-mls calls for PrivateMessage content and sender data (§6.3).
    hpke: makeHpke(backend),
    // The reuse guard of every PrivateMessage (RFC 9420 §6.3.1) and fresh secrets: the backend's
    // CSPRNG (node:crypto's is ~10x cheaper a call than WebCrypto's getRandomValues in Node 20).
    rng: { randomBytes: (n) => backend.randomBytes(n) },
    // RFC 9420 §5.1.2 Ed25519; keys made by ts-mls's keygen (WebCrypto PKCS #8) are kept. A
    // signature this device made is not verified again (own-signatures.ts: its own leaf in a
    // Welcome); everything else is.
    signature: {
      async keygen() {
        const pair = await base.signature.keygen();
        rememberKeyPair(pair.signKey, pair.publicKey);
        return pair;
      },
      async sign(signKey, message) {
        const signature = await backend.ed25519Sign(signKey, message);
        own.made(signKey, message, signature);
        return signature;
      },
      verify: (publicKey, message, signature) =>
        own.madeHere(publicKey, message, signature)
          ? Promise.resolve(true)
          : backend.ed25519Verify(publicKey, message, signature),
    },
  };
  backends.set(suite, backend);
  return suite;
}

/** The backend under a suite from mlsSuite (application-message.ts uses its AEAD directly). */
export function suiteBackend(cs: CiphersuiteImpl): CryptoBackend {
  const b = backends.get(cs);
  if (!b) throw new E2eeError('E2EE_ERR_UNKNOWN_SUITE', 'not a suite made by mlsSuite');
  return b;
}

const suites = new WeakMap<CryptoBackend, Promise<CiphersuiteImpl>>();
let defaultBackend: CryptoBackend | undefined;

/** The suite on `backend` (default: WebCrypto), built once per backend. */
export function mlsSuite(backend?: CryptoBackend): Promise<CiphersuiteImpl> {
  const b = backend ?? (defaultBackend ??= createWebCryptoBackend());
  let s = suites.get(b);
  if (!s) {
    s = build(b);
    suites.set(b, s);
  }
  return s;
}
