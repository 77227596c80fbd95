import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CsrfTokens } from './csrf';

describe('CsrfTokens', () => {
  const key = randomBytes(32);
  const tokens = new CsrfTokens(key);

  it('a token verifies for the session it was minted for and for no other', () => {
    const t = tokens.mint('session-a');
    expect(t).toMatch(/^[\w-]{43}\.[\w-]{43}$/);
    expect(tokens.verify(t, 'session-a')).toBe(true);
    expect(tokens.verify(t, 'session-b')).toBe(false);
    expect(tokens.verify(t, undefined)).toBe(false);
  });

  it('an anonymous token does not verify once there is a session, nor for "anonymous" as a session', () => {
    const t = tokens.mint(undefined);
    expect(tokens.verify(t, undefined)).toBe(true);
    expect(tokens.verify(t, 'anonymous')).toBe(false);
    expect(tokens.verify(tokens.mint('anonymous'), undefined)).toBe(false);
  });

  it('a token minted under another key, or with its random part swapped, is refused', () => {
    expect(tokens.verify(new CsrfTokens(randomBytes(32)).mint('s'), 's')).toBe(false);
    const [, mac] = tokens.mint('s').split('.');
    expect(tokens.verify(`${randomBytes(32).toString('base64url')}.${mac!}`, 's')).toBe(false);
    expect(tokens.verify('', 's')).toBe(false);
    expect(tokens.verify(randomBytes(32).toString('base64url'), 's')).toBe(false);
  });

  it('the HMAC key is derived with HKDF, not the raw secret key', () => {
    const t = tokens.mint(undefined);
    const [random, mac] = t.split('.') as [string, string];
    const binding = 'anonymous';
    const withRawKey = createHmac('sha256', key)
      .update(`${binding.length}!${binding}!${random.length}!${random}`)
      .digest('base64url');
    expect(withRawKey).not.toBe(mac);
  });

  it('refuses a secret key that is not 32 bytes (TypeError)', () => {
    expect(() => new CsrfTokens(randomBytes(16))).toThrow(TypeError);
  });
});
