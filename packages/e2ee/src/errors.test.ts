import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { E2EE_ERRORS, E2eeError, isE2eeError } from './errors';

describe('error catalogue', () => {
  it('has stable E2EE_ERR_* codes, each with a message', () => {
    for (const [code, message] of Object.entries(E2EE_ERRORS)) {
      expect(code).toMatch(/^E2EE_ERR_[A-Z_]+$/);
      expect(message.length).toBeGreaterThan(10);
    }
  });

  it('carries the code and keeps detail out of the code', () => {
    const e = new E2eeError('E2EE_ERR_UNKNOWN_KID', 'kid 5');
    expect(e.code).toBe('E2EE_ERR_UNKNOWN_KID');
    expect(isE2eeError(e, 'E2EE_ERR_UNKNOWN_KID')).toBe(true);
    expect(isE2eeError(e, 'E2EE_ERR_REPLAY')).toBe(false);
    expect(isE2eeError(new Error('x'))).toBe(false);
  });

  it('documents every code in the package README', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const documented = [...readme.matchAll(/`(E2EE_ERR_[A-Z_]+)`/g)].map((m) => m[1]);
    expect(new Set(documented)).toEqual(new Set(Object.keys(E2EE_ERRORS)));
  });
});
