import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

// Secret columns at rest (TOTP seeds): AES-256-GCM, NIST SP 800-38D, under the server secret key
// (config/secret-key.ts). Stored form: `v1:` + base64url(nonce ‖ ciphertext ‖ tag). The table,
// column and row id are the additional authenticated data, so a value copied to another row or
// column fails to decrypt instead of lending its second factor to someone else.

/** The columns sealed with this cipher; the name is part of the AAD. */
export type SealedColumn =
  | 'users.totp_secret'
  | 'users.totp_pending_secret'
  | 'legal_requesters.totp_secret'
  | 'legal_requesters.totp_pending_secret';

const PREFIX = 'v1:';
const KEY_BYTES = 32; // AES-256
// SP 800-38D §8.2.2: a 96-bit IV from a random bit generator; §8.3 caps such a key at 2^32
// encryptions, far beyond one write per 2FA enrolment.
const NONCE_BYTES = 12;
// SP 800-38D §5.2.1.2 and Appendix C: the full 128-bit tag.
const TAG_BYTES = 16;

/** A stored value that does not decrypt under this server's key. */
export class SecretKeyMismatchError extends Error {
  override name = 'SecretKeyMismatchError';
}

export class ColumnCipher {
  readonly #key: Buffer;

  constructor(key: Uint8Array) {
    if (key.length !== KEY_BYTES)
      throw new TypeError(`The secret key must be ${KEY_BYTES} bytes, got ${key.length}.`);
    this.#key = Buffer.from(key);
  }

  /** True when `stored` is in the encrypted form (anything else is a clear-text legacy value). */
  static isSealed(stored: string): boolean {
    return stored.startsWith(PREFIX);
  }

  seal(column: SealedColumn, rowId: string, plain: string): string;
  seal(column: SealedColumn, rowId: string, plain: string | null): string | null;
  seal(column: SealedColumn, rowId: string, plain: string | null): string | null {
    if (plain === null) return null;
    const nonce = randomBytes(NONCE_BYTES);
    // SP 800-38D §7.1: GCM-AE(K, IV, P, A) → (C, T).
    const gcm = createCipheriv('aes-256-gcm', this.#key, nonce, { authTagLength: TAG_BYTES });
    gcm.setAAD(aad(column, rowId));
    const body = Buffer.concat([gcm.update(plain, 'utf8'), gcm.final()]);
    return PREFIX + Buffer.concat([nonce, body, gcm.getAuthTag()]).toString('base64url');
  }

  /**
   * The clear value of a stored one. Values written before encryption (no `v1:`) are returned as
   * they are; the start-up pass (secret-columns.ts) seals them.
   */
  open(column: SealedColumn, rowId: string, stored: string | null): string | null {
    if (stored === null || !ColumnCipher.isSealed(stored)) return stored;
    const raw = Buffer.from(stored.slice(PREFIX.length), 'base64url');
    if (raw.length < NONCE_BYTES + TAG_BYTES) throw mismatch(column, rowId);
    const nonce = raw.subarray(0, NONCE_BYTES);
    const tag = raw.subarray(raw.length - TAG_BYTES);
    // SP 800-38D §7.2: GCM-AD returns FAIL unless the tag matches; node compares it in
    // constant time and throws from final().
    const gcm = createDecipheriv('aes-256-gcm', this.#key, nonce, { authTagLength: TAG_BYTES });
    gcm.setAAD(aad(column, rowId));
    gcm.setAuthTag(tag);
    try {
      const body = raw.subarray(NONCE_BYTES, raw.length - TAG_BYTES);
      return Buffer.concat([gcm.update(body), gcm.final()]).toString('utf8');
    } catch {
      throw mismatch(column, rowId);
    }
  }
}

function aad(column: SealedColumn, rowId: string): Buffer {
  return Buffer.from(`conclave:${PREFIX}${column}:${rowId}`, 'utf8');
}

function mismatch(column: SealedColumn, rowId: string): SecretKeyMismatchError {
  return new SecretKeyMismatchError(
    `Cannot decrypt ${column} of row ${rowId}: the server secret key (secretKey / ` +
      'CONCLAVE_SECRET_KEY, or secret.key in the data directory) does not match the key that ' +
      'encrypted it, or the stored value was altered or copied from another row.',
  );
}
