import { describe, expect, it } from 'vitest';
import { securityCode } from './code';

describe('security code', () => {
  it('is 6 groups of 5 digits, deterministic, and differs for different authenticators', () => {
    const a = new Uint8Array(32).fill(1);
    const b = new Uint8Array(32).fill(1);
    b[31] = 2;
    expect(securityCode(a)).toMatch(/^\d{5}( \d{5}){5}$/);
    expect(securityCode(a)).toBe(securityCode(a.slice()));
    expect(securityCode(a)).not.toBe(securityCode(b));
  });

  it('rejects a short authenticator', () => {
    expect(() => securityCode(new Uint8Array(8))).toThrow(TypeError);
  });
});
