import { describe, expect, it } from 'vitest';
import { validateRequest } from './messages';

describe('validateRequest', () => {
  it('accepts a well-formed request and keeps its fields', () => {
    const result = validateRequest({
      kind: 'transport.consume',
      id: 7,
      transportId: 't',
      consumerId: 'c',
      producerId: 'p',
    });
    expect(result).toEqual({
      ok: true,
      request: {
        kind: 'transport.consume',
        id: 7,
        transportId: 't',
        consumerId: 'c',
        producerId: 'p',
      },
    });
  });

  it('rejects requests without a usable id, kind or field', () => {
    expect(validateRequest({ kind: 'worker.dump', id: 1.5 })).toMatchObject({
      ok: false,
      id: null,
    });
    expect(validateRequest({ kind: 'toString', id: 1 })).toMatchObject({ ok: false, id: 1 });
    expect(
      validateRequest({ kind: 'transport.consume', id: 2, transportId: 't', consumerId: '' }),
    ).toMatchObject({
      ok: false,
      id: 2,
    });
    expect(validateRequest([])).toMatchObject({ ok: false, id: null });
  });
});
