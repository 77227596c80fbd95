import { describe, expect, it } from 'vitest';
import { formatMeetingId, parseMeetingId } from '../ids';
import { decodeClientMessage, decodeServerMessage } from './codec';
import { MAX_MESSAGE_BYTES, PROTOCOL_VERSION } from './common';

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
