// Binding an MLS leaf to (user id, display name, device id) — DESIGN §4.2 "Credentials".
// The identity travels in an RFC 9420 §5.3 BasicCredential; its `identity` bytes are:
//   struct { uint8 version = 1; opaque user_id<0..2^16-1>; opaque display_name<..>; opaque device_id<..> }
// with UTF-8 strings and 16-bit big-endian lengths. Decoding is strict (no trailing bytes).
import type { AuthenticationService, Credential } from 'ts-mls';
import { E2eeError } from '../errors';

export interface MemberIdentity {
  /** Account user id, or guest id. */
  readonly userId: string;
  readonly displayName: string;
  readonly deviceId: string;
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

const VERSION = 1;
const MAX_FIELD = 1024;

export function encodeIdentity(id: MemberIdentity): Uint8Array {
  const enc = new TextEncoder();
  const fields = [id.userId, id.displayName, id.deviceId].map((s) => {
    if (typeof s !== 'string') throw new TypeError('identity fields must be strings');
    const b = enc.encode(s);
    if (b.length > MAX_FIELD) throw new TypeError(`identity field longer than ${MAX_FIELD} bytes`);
    return b;
  });
  const out = new Uint8Array(1 + fields.reduce((n, f) => n + 2 + f.length, 0));
  out[0] = VERSION;
  let p = 1;
  for (const f of fields) {
    out[p] = f.length >> 8;
    out[p + 1] = f.length & 0xff;
    out.set(f, p + 2);
    p += 2 + f.length;
  }
  return out;
}

export function decodeIdentity(bytes: Uint8Array): MemberIdentity {
  if (bytes[0] !== VERSION) throw new E2eeError('E2EE_ERR_CREDENTIAL', 'unknown identity version');
  const dec = new TextDecoder('utf-8', { fatal: true });
  const fields: string[] = [];
  let p = 1;
  for (let i = 0; i < 3; i++) {
    if (p + 2 > bytes.length) throw new E2eeError('E2EE_ERR_CREDENTIAL', 'truncated identity');
    const len = (bytes[p]! << 8) | bytes[p + 1]!;
    if (len > MAX_FIELD || p + 2 + len > bytes.length)
      throw new E2eeError('E2EE_ERR_CREDENTIAL', 'truncated identity');
    try {
      fields.push(dec.decode(bytes.subarray(p + 2, p + 2 + len)));
    } catch (cause) {
      throw new E2eeError('E2EE_ERR_CREDENTIAL', 'identity is not UTF-8', { cause });
    }
    p += 2 + len;
  }
  if (p !== bytes.length) throw new E2eeError('E2EE_ERR_CREDENTIAL', 'trailing bytes in identity');
  const [userId, displayName, deviceId] = fields as [string, string, string];
  return { userId, displayName, deviceId };
}

export function identityCredential(id: MemberIdentity): Credential {
  return { credentialType: 'basic', identity: encodeIdentity(id) };
}

/** The identity in a credential, or undefined if it is not one of ours. */
export function identityFromCredential(c: Credential): MemberIdentity | undefined {
  if (c.credentialType !== 'basic') return undefined;
  try {
    return decodeIdentity(c.identity);
  } catch {
    return undefined;
  }
}

/**
 * An RFC 9420 §5.3.1 Authentication Service for ts-mls: only our credential format is accepted,
 * then the application's validator decides. ts-mls 1.6.4's default accepts everything.
 */
export function authenticationService(
  validator: CredentialValidator | undefined,
): AuthenticationService {
  return {
    async validateCredential(credential, signaturePublicKey) {
      const identity = identityFromCredential(credential);
      if (!identity) return false;
      return validator ? await validator(identity, signaturePublicKey) : true;
    },
  };
}
