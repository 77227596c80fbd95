import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConclaveError, ERRORS, ERROR_CODES } from './errors';

describe('error catalogue', () => {
  const doc = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');

  it('documents every code with its status and message in docs/errors.md', () => {
    for (const code of ERROR_CODES) {
      const { status, message } = ERRORS[code];
      expect(doc, code).toContain(`| \`${code}\` | ${status} | ${message} |`);
    }
  });

  it('documents no code that does not exist', () => {
    const documented = [...doc.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual([...ERROR_CODES].sort());
  });

  it('gives a typed error its status and a body without internals', () => {
    const err = new ConclaveError('MEETING_NOT_FOUND');
    expect(err.status).toBe(404);
    expect(err.toBody()).toEqual({
      code: 'MEETING_NOT_FOUND',
      message: 'There is no meeting with this id.',
    });
  });
});
