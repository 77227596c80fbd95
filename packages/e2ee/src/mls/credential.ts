// Binding an MLS leaf to (user id, display name, device id) — DESIGN §4.2 "Credentials".
// The identity travels in an RFC 9420 §5.3 BasicCredential; its `identity` bytes are:
//   struct { uint8 version = 1; opaque user_id<0..2^16-1>; opaque display_name<..>; opaque device_id<..> }
// with UTF-8 strings and 16-bit big-endian lengths. A signed-in device uses version 2, which
// appends its device binding (device-binding.ts):
//   opaque account_user_id<..>; opaque device_key<..>; opaque binding_signature<..>
// Decoding is strict (no trailing bytes, fixed key and signature sizes).
import type { AuthenticationService, Credential } from 'ts-mls';
import { E2eeError } from '../errors';
import {
  DEVICE_KEY_BYTES,
  DEVICE_SIGNATURE_BYTES,
  verifyDeviceBinding,
  type DeviceBinding,
} from './device-binding';

export interface MemberIdentity {
  /** Account user id, or guest id. */
  readonly userId: string;
  readonly displayName: string;
  readonly deviceId: string;
  /** Signed-in devices only: the account and the device key that vouches for this leaf. */
  readonly device?: DeviceBinding;
}

/**
 * Decides whether a leaf may be in the group: called by ts-mls for every credential it sees
 * (KeyPackages being added, the ratchet tree on join, leaves in commits). Return false to reject.
 * Typical use: compare with what signaling announced for that device.
 */
export type CredentialValidator = (
  identity: MemberIdentity,
  signaturePublicKey: Uint8Array,
) => boolean | Promise<boolean>;

const GUEST = 1;
const SIGNED_IN = 2;
const MAX_FIELD = 1024;

export function encodeIdentity(id: MemberIdentity): Uint8Array {
  const enc = new TextEncoder();
  const strings = [id.userId, id.displayName, id.deviceId];
  if (id.device) strings.push(id.device.accountUserId);
  const fields: Uint8Array[] = strings.map((s) => {
    if (typeof s !== 'string') throw new TypeError('identity fields must be strings');
    const b = enc.encode(s);
    if (b.length > MAX_FIELD) throw new TypeError(`identity field longer than ${MAX_FIELD} bytes`);
    return b;
  });
  if (id.device) {
    if (
      id.device.deviceKey.length !== DEVICE_KEY_BYTES ||
      id.device.signature.length !== DEVICE_SIGNATURE_BYTES
    )
      throw new TypeError('device key or binding signature has the wrong size');
    fields.push(id.device.deviceKey, id.device.signature);
  }
  const out = new Uint8Array(1 + fields.reduce((n, f) => n + 2 + f.length, 0));
  out[0] = id.device ? SIGNED_IN : GUEST;
  let p = 1;
  for (const f of fields) {
    out[p] = f.length >> 8;
    out[p + 1] = f.length & 0xff;
    out.set(f, p + 2);
    p += 2 + f.length;
  }
  return out;
}

/** One strict decoder for every identity (making one costs more than decoding a field). */
const utf8 = new TextDecoder('utf-8', { fatal: true });

export function decodeIdentity(bytes: Uint8Array): MemberIdentity {
  const version = bytes[0];
  if (version !== GUEST && version !== SIGNED_IN)
    throw new E2eeError('E2EE_ERR_CREDENTIAL', 'unknown identity version');
  const raw: Uint8Array[] = [];
  let p = 1;
  for (let i = 0; i < (version === GUEST ? 3 : 6); i++) {
    if (p + 2 > bytes.length) throw new E2eeError('E2EE_ERR_CREDENTIAL', 'truncated identity');
    const len = (bytes[p]! << 8) | bytes[p + 1]!;
    if (len > MAX_FIELD || p + 2 + len > bytes.length)
      throw new E2eeError('E2EE_ERR_CREDENTIAL', 'truncated identity');
    raw.push(bytes.slice(p + 2, p + 2 + len));
    p += 2 + len;
  }
  if (p !== bytes.length) throw new E2eeError('E2EE_ERR_CREDENTIAL', 'trailing bytes in identity');
  let strings: string[];
  try {
    strings = raw.slice(0, version === GUEST ? 3 : 4).map((b) => utf8.decode(b));
  } catch (cause) {
    throw new E2eeError('E2EE_ERR_CREDENTIAL', 'identity is not UTF-8', { cause });
  }
  const [userId, displayName, deviceId, accountUserId] = strings as [
    string,
    string,
    string,
    string,
  ];
  if (version === GUEST) return { userId, displayName, deviceId };
  const [deviceKey, signature] = [raw[4]!, raw[5]!];
  if (deviceKey.length !== DEVICE_KEY_BYTES || signature.length !== DEVICE_SIGNATURE_BYTES)
    throw new E2eeError(
      'E2EE_ERR_CREDENTIAL',
      'device key or binding signature has the wrong size',
    );
  return { userId, displayName, deviceId, device: { accountUserId, deviceKey, signature } };
}

export function identityCredential(id: MemberIdentity): Credential {
  return { credentialType: 'basic', identity: encodeIdentity(id) };
}

/**
 * Identities already decoded, per credential object: a leaf's credential is one object for as
 * long as its epochs' trees hold it, so a reader decodes a sender's identity once, not on every
 * message it opens (issue 18). Frozen, as every caller shares it.
 */
const decodedIdentities = new WeakMap<Credential, MemberIdentity | null>();

/** The identity in a credential, or undefined if it is not one of ours. */
export function identityFromCredential(c: Credential): MemberIdentity | undefined {
  let identity = decodedIdentities.get(c);
  if (identity === undefined) {
    identity = decodeBasic(c);
    decodedIdentities.set(c, identity);
  }
  return identity ?? undefined;
}

function decodeBasic(c: Credential): MemberIdentity | null {
  if (c.credentialType !== 'basic') return null;
  try {
    const identity = decodeIdentity(c.identity);
    if (identity.device) Object.freeze(identity.device);
    return Object.freeze(identity);
  } catch {
    return null;
  }
}

/**
 * An RFC 9420 §5.3.1 Authentication Service for ts-mls: only our credential format is accepted;
 * a signed-in device's binding must verify against the leaf's signature key (§5.3.1: the
 * credential must be bound to the signature key); then the application's validator decides.
 * ts-mls 1.6.4's default accepts everything.
 */
export function authenticationService(
  validator: CredentialValidator | undefined,
): AuthenticationService {
  return {
    async validateCredential(credential, signaturePublicKey) {
      const identity = identityFromCredential(credential);
      if (!identity) return false;
      if (identity.device && !(await verifyDeviceBinding(identity.device, signaturePublicKey)))
        return false;
      return validator ? await validator(identity, signaturePublicKey) : true;
    },
  };
}
