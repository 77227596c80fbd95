// Signed-in identities (issue 14, DESIGN.md §4.4): an account user's device keeps a long-term
// ECDSA P-256 key (non-extractable in browsers) and binds each session's MLS signature key to it.
// The binding travels inside the leaf's credential (RFC 9420 §5.3), which the leaf's MLS
// signature covers (§7.2), so the chain is: device key -> session MLS key -> leaf. Every device
// checks it in its Authentication Service (§5.3.1) and remembers, per account, the device keys it
// has met (trust on first use): the server can relay a new device for Alice, but it cannot make
// one that every device that met Alice takes for her old one.
//
// The signed content follows RFC 9420 §5.1.2's SignWithLabel shape for domain separation:
//   struct { opaque label<V> = "Conclave 1.0 DeviceBinding"; opaque content<V>; }
//   content = account_user_id<V> || mls_signature_key<V>
// (V = 16-bit big-endian length here; ECDSA-SHA256 over it, signature in IEEE P1363 form).
import { E2eeError } from '../errors';

export interface DeviceBinding {
  /** The account user id this device is signed in as. */
  readonly accountUserId: string;
  /** The device's long-term public key: uncompressed P-256 point (65 bytes). */
  readonly deviceKey: Uint8Array;
  /** ECDSA P-256/SHA-256 signature (64 bytes) over the labelled content above. */
  readonly signature: Uint8Array;
}

export const DEVICE_KEY_BYTES = 65;
export const DEVICE_SIGNATURE_BYTES = 64;
const LABEL = 'Conclave 1.0 DeviceBinding';
const ALG = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGN = { name: 'ECDSA', hash: 'SHA-256' } as const;

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new E2eeError('E2EE_ERR_CREDENTIAL', 'WebCrypto is not available');
  return s;
}

function vec(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + 2 + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out[at] = p.length >> 8;
    out[at + 1] = p.length & 0xff;
    out.set(p, at + 2);
    at += 2 + p.length;
  }
  return out;
}

/** The bytes a device key signs to vouch for one session's MLS signature key. */
export function deviceBindingContent(accountUserId: string, mlsSignatureKey: Uint8Array) {
  const enc = new TextEncoder();
  return vec([enc.encode(LABEL), vec([enc.encode(accountUserId), mlsSignatureKey])]);
}

/** A new long-term device key; its private half can never be exported (WebCrypto). */
export async function generateDeviceKey(): Promise<CryptoKeyPair> {
  return subtle().generateKey(ALG, false, ['sign', 'verify']);
}

export async function exportDeviceKey(publicKey: CryptoKey): Promise<Uint8Array> {
  return new Uint8Array(await subtle().exportKey('raw', publicKey));
}

/** Binds `mlsSignatureKey` (this session's) to the device key for `accountUserId`. */
export async function signDeviceBinding(
  pair: CryptoKeyPair,
  accountUserId: string,
  mlsSignatureKey: Uint8Array,
): Promise<DeviceBinding> {
  const content = deviceBindingContent(accountUserId, mlsSignatureKey);
  const signature = new Uint8Array(
    await subtle().sign(SIGN, pair.privateKey, content as BufferSource),
  );
  return { accountUserId, deviceKey: await exportDeviceKey(pair.publicKey), signature };
}

/** Verified bindings (ts-mls asks about each leaf again at every join): bounded. */
const verified = new Map<string, boolean>();
const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

/** Whether `binding` is a valid device signature over `mlsSignatureKey`; never throws. */
export async function verifyDeviceBinding(
  binding: DeviceBinding,
  mlsSignatureKey: Uint8Array,
): Promise<boolean> {
  const id = `${binding.accountUserId}|${hex(binding.deviceKey)}|${hex(binding.signature)}|${hex(mlsSignatureKey)}`;
  const known = verified.get(id);
  if (known !== undefined) return known;
  const ok = await verifyUncached(binding, mlsSignatureKey);
  if (verified.size >= 4096) verified.clear();
  verified.set(id, ok);
  return ok;
}

async function verifyUncached(
  binding: DeviceBinding,
  mlsSignatureKey: Uint8Array,
): Promise<boolean> {
  if (
    binding.deviceKey.length !== DEVICE_KEY_BYTES ||
    binding.signature.length !== DEVICE_SIGNATURE_BYTES
  )
    return false;
  try {
    const key = await subtle().importKey('raw', binding.deviceKey as BufferSource, ALG, false, [
      'verify',
    ]);
    return await subtle().verify(
      SIGN,
      key,
      binding.signature as BufferSource,
      deviceBindingContent(binding.accountUserId, mlsSignatureKey) as BufferSource,
    );
  } catch {
    return false;
  }
}
