// Ed25519 signatures (RFC 8032) for ts-mls through the platform's WebCrypto (Node's and the
// browser's native code) instead of ts-mls's pure-JavaScript default: every MLS message is
// signed and verified (RFC 9420 §5.1.2, §6.1), so this is most of the cost of a Commit, a
// Welcome and each chat message. Ed25519 is deterministic, so signatures are byte-identical
// (the RFC 9420 test vectors still pass). Used only when the platform has it; else the default.
import type { CiphersuiteImpl } from 'ts-mls';

type Signature = CiphersuiteImpl['signature'];

/** PKCS #8 wrapping of a 32-byte Ed25519 seed (RFC 8410 §7): WebCrypto imports no raw seed. */
const PKCS8_PREFIX = Uint8Array.of(
  0x30,
  0x2e,
  0x02,
  0x01,
  0x00,
  0x30,
  0x05,
  0x06,
  0x03,
  0x2b,
  0x65,
  0x70,
  0x04,
  0x22,
  0x04,
  0x20,
);
const ALG = { name: 'Ed25519' } as const;
const MAX_CACHED = 256;

function cache<T>(): {
  get(k: Uint8Array, make: () => Promise<T>): Promise<T>;
} {
  const m = new Map<string, Promise<T>>();
  return {
    get(k, make) {
      const id = Array.from(k, (b) => b.toString(16).padStart(2, '0')).join('');
      let v = m.get(id);
      if (!v) {
        if (m.size >= MAX_CACHED) m.clear();
        v = make();
        m.set(id, v);
        v.catch(() => m.delete(id));
      }
      return v;
    },
  };
}

/** ts-mls's Signature with sign/verify in native code when WebCrypto has Ed25519. */
export async function nativeEd25519(fallback: Signature): Promise<Signature> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return fallback;
  const privateKeys = cache<CryptoKey>();
  const publicKeys = cache<CryptoKey>();
  const importPrivate = (seed: Uint8Array) =>
    privateKeys.get(seed, () => {
      const der = new Uint8Array(PKCS8_PREFIX.length + seed.length);
      der.set(PKCS8_PREFIX, 0);
      der.set(seed, PKCS8_PREFIX.length);
      return subtle.importKey('pkcs8', der, ALG, false, ['sign']);
    });
  const importPublic = (key: Uint8Array) =>
    publicKeys.get(key, () => subtle.importKey('raw', key as BufferSource, ALG, false, ['verify']));
  const native: Signature = {
    keygen: () => fallback.keygen(),
    async sign(signKey, message) {
      if (signKey.length !== 32) return fallback.sign(signKey, message);
      const key = await importPrivate(signKey);
      return new Uint8Array(await subtle.sign(ALG, key, message as BufferSource));
    },
    async verify(publicKey, message, signature) {
      if (publicKey.length !== 32 || signature.length !== 64) return false;
      try {
        const key = await importPublic(publicKey);
        return await subtle.verify(ALG, key, signature as BufferSource, message as BufferSource);
      } catch {
        return false;
      }
    },
  };
  // Use it only if it agrees with the default on a fresh key (feature and correctness check).
  try {
    const { signKey, publicKey } = await fallback.keygen();
    const msg = Uint8Array.of(1, 2, 3);
    const [a, b] = await Promise.all([native.sign(signKey, msg), fallback.sign(signKey, msg)]);
    const same = a.length === b.length && a.every((x, i) => x === b[i]);
    return same && (await native.verify(publicKey, msg, a)) ? native : fallback;
  } catch {
    return fallback;
  }
}
