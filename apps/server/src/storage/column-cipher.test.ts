import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ColumnCipher, SecretKeyMismatchError } from './column-cipher';

const SECRET = 'JBSWY3DPEHPK3PXP';

describe('column cipher (AES-256-GCM, NIST SP 800-38D)', () => {
  const cipher = new ColumnCipher(randomBytes(32));

  it('stores v1 + base64url(12-byte nonce ‖ ciphertext ‖ 16-byte tag) and opens it', () => {
    const sealed = cipher.seal('users.totp_secret', 'u1', SECRET);
    expect(sealed).toMatch(/^v1:[A-Za-z0-9_-]+$/);
    expect(Buffer.from(sealed.slice(3), 'base64url')).toHaveLength(12 + SECRET.length + 16);
    expect(cipher.open('users.totp_secret', 'u1', sealed)).toBe(SECRET);
    expect(cipher.seal('users.totp_secret', 'u1', null)).toBeNull();
    expect(cipher.open('users.totp_secret', 'u1', null)).toBeNull();
  });

  it('binds the value to its table, column and row (additional authenticated data)', () => {
    const sealed = cipher.seal('users.totp_secret', 'u1', SECRET);
    expect(() => cipher.open('users.totp_secret', 'u2', sealed)).toThrow(SecretKeyMismatchError);
    expect(() => cipher.open('users.totp_pending_secret', 'u1', sealed)).toThrow(/does not match/);
    expect(() => cipher.open('legal_requesters.totp_secret', 'u1', sealed)).toThrow(
      SecretKeyMismatchError,
    );
  });

  it('refuses a changed byte, a truncated value and another key', () => {
    const sealed = cipher.seal('users.totp_secret', 'u1', SECRET);
    const raw = Buffer.from(sealed.slice(3), 'base64url');
    raw[14]! ^= 1;
    const flipped = `v1:${raw.toString('base64url')}`;
    expect(() => cipher.open('users.totp_secret', 'u1', flipped)).toThrow(SecretKeyMismatchError);
    expect(() => cipher.open('users.totp_secret', 'u1', 'v1:AAAA')).toThrow(SecretKeyMismatchError);
    const other = new ColumnCipher(randomBytes(32));
    expect(() => other.open('users.totp_secret', 'u1', sealed)).toThrow(
      /Cannot decrypt users\.totp_secret of row u1: the server secret key .* does not match/,
    );
  });

  it('reads a clear-text value from before encryption as it is', () => {
    expect(cipher.open('users.totp_secret', 'u1', SECRET)).toBe(SECRET);
    expect(ColumnCipher.isSealed(SECRET)).toBe(false);
  });

  it('takes only a 32-byte key', () => {
    expect(() => new ColumnCipher(randomBytes(16))).toThrow(TypeError);
  });
});
