import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SFU_ERRORS, SfuError, toWireError } from './errors';

describe('error catalogue', () => {
  it('README documents every error code with its status, and nothing else', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const documented = new Map(
      [...readme.matchAll(/^\|\s*`(SFU_ERR_[A-Z_]+)`\s*\|\s*(\d+)\s*\|/gm)].map((m) => [
        m[1],
        Number(m[2]),
      ]),
    );
    expect(Object.fromEntries(documented)).toEqual(
      Object.fromEntries(Object.entries(SFU_ERRORS).map(([code, { status }]) => [code, status])),
    );
  });

  it('unknown errors become a generic internal error with the cause kept in detail', () => {
    const wire = toWireError(new Error('werift exploded at line 12'));
    expect(wire).toEqual({ code: 'SFU_ERR_INTERNAL', detail: 'werift exploded at line 12' });
    const err = new SfuError(wire.code, wire.detail);
    expect(err.message).toBe('Internal media worker error');
    expect(err.status).toBe(500);
  });
});
