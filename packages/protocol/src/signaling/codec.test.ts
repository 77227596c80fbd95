import { describe, expect, it } from 'vitest';
import { formatMeetingId, parseMeetingId } from '../ids';
import { clientMessageSchema } from './client-messages';
import { decodeClientMessage, decodeServerMessage, nestedDeeperThan } from './codec';
import { MAX_MESSAGE_BYTES, MAX_NESTING_DEPTH, PROTOCOL_VERSION } from './common';

const join = {
  type: 'join',
  id: 'r1',
  protocolVersion: PROTOCOL_VERSION,
  meetingId: '12345678901',
  displayName: '  Ada  ',
};

describe('decodeClientMessage', () => {
  it('accepts a valid join and trims the display name', () => {
    const r = decodeClientMessage(JSON.stringify(join));
    expect(r.ok).toBe(true);
    if (r.ok && r.message.type === 'join') expect(r.message.displayName).toBe('Ada');
  });

  it('rejects text that is not JSON as MESSAGE_MALFORMED', () => {
    const r = decodeClientMessage('{not json');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('MESSAGE_MALFORMED');
  });

  it('rejects an unknown type and keeps the request id for the reply', () => {
    const r = decodeClientMessage(JSON.stringify({ type: 'launch.missiles', id: 'r9' }));
    expect(r).toMatchObject({
      ok: false,
      requestId: 'r9',
      error: { code: 'UNKNOWN_MESSAGE_TYPE' },
    });
  });

  it('rejects a known type with wrong fields and says where', () => {
    const r = decodeClientMessage(JSON.stringify({ ...join, meetingId: 'abc' }));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('MESSAGE_MALFORMED');
      expect(r.error.message).toContain('meetingId');
      expect(r.requestId).toBe('r1');
    }
  });

  it('rejects an empty display name with a message a person understands', () => {
    const r = decodeClientMessage(JSON.stringify({ ...join, displayName: '   ' }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toContain('Enter a name');
  });

  it('rejects frames over the size limit before parsing them', () => {
    const big = JSON.stringify({ ...join, displayName: 'x'.repeat(MAX_MESSAGE_BYTES) });
    const r = decodeClientMessage(big);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('MESSAGE_TOO_LARGE');
  });

  it('rejects JSON that is not an object', () => {
    for (const frame of ['null', '42', '"join"', '[]']) {
      const r = decodeClientMessage(frame);
      expect(r.ok, frame).toBe(false);
    }
  });
});

describe('decodeServerMessage', () => {
  it('round-trips events and responses', () => {
    const ev = { type: 'participant.left', participantId: 'p1', reason: 'left' } as const;
    expect(decodeServerMessage(JSON.stringify(ev))).toEqual({ ok: true, message: ev });
    const res = {
      type: 'response',
      requestId: 'r1',
      ok: false,
      error: { code: 'NOT_HOST', message: 'no' },
    } as const;
    expect(decodeServerMessage(JSON.stringify(res))).toEqual({ ok: true, message: res });
  });
});

describe('meeting ids', () => {
  it('parses what people type and shows it grouped', () => {
    expect(parseMeetingId('123 4567 8901')).toBe('12345678901');
    expect(parseMeetingId('123-456-7890')).toBe('1234567890');
    expect(parseMeetingId('12345')).toBeUndefined();
    expect(formatMeetingId('12345678901')).toBe('123 4567 8901');
    expect(formatMeetingId('1234567890')).toBe('123 456 7890');
  });
});

/** How deep arrays and objects nest in values a schema accepts (Infinity: unbounded). */
function schemaDepth(schema: unknown, seen = new Set<unknown>()): number {
  const def = (schema as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def;
  if (seen.has(schema)) return Infinity; // recursive schema
  const inner = (s: unknown) => schemaDepth(s, new Set([...seen, schema]));
  switch (def.type) {
    case 'object':
      return 1 + Math.max(0, ...Object.values(def.shape as object).map(inner));
    case 'array':
      return 1 + inner(def.element);
    case 'record':
      return 1 + inner(def.valueType);
    case 'tuple':
      return 1 + Math.max(0, ...(def.items as unknown[]).map(inner));
    case 'union':
      return Math.max(...(def.options as unknown[]).map(inner));
    case 'intersection':
      return Math.max(inner(def.left), inner(def.right));
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return inner(def.innerType);
    case 'pipe':
      return inner(def.in);
    case 'lazy':
      return inner((def.getter as () => unknown)());
    case 'any':
    case 'unknown':
      return Infinity;
    default:
      return 0;
  }
}

describe('nesting depth', () => {
  it('every message a client may send fits within MAX_NESTING_DEPTH', () => {
    const depth = schemaDepth(clientMessageSchema);
    expect(depth).toBeLessThanOrEqual(MAX_NESTING_DEPTH);
    expect(depth).toBeGreaterThan(1);
  });

  it('a frame nested deeper is refused before parsing, brackets inside strings do not count', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const r = decodeClientMessage(deep);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toBe('The message is nested more than 8 levels deep.');
    expect(nestedDeeperThan(JSON.stringify({ s: '[[[[[[[[[[[[{{{{{{{{\\"[[[[' }), 2)).toBe(false);
    expect(nestedDeeperThan('{"a":{"b":{"c":[1]}}}', 3)).toBe(true);
    expect(nestedDeeperThan('{"a":{"b":{"c":[1]}}}', 4)).toBe(false);
    const ok = decodeClientMessage(JSON.stringify({ ...join, displayName: '[[[[[[[[[[[[[[' }));
    expect(ok.ok).toBe(true);
  });
});
