import { describe, expect, it } from 'vitest';
import { requestRecord } from '../../storage/legal-store-contract';
import {
  DEFAULT_TIME_RULES,
  compareQueue,
  isOverdue,
  ndoExpired,
  ndoReminderDue,
  rangeDays,
  slaDueAt,
} from './deadlines';

const at = (s: string) => new Date(s);

describe('deadlines (UTC, injected clock)', () => {
  it('the SLA is the earlier of our review window and the requester’s deadline', () => {
    const r = requestRecord('q', 'a', {
      receivedAt: at('2026-03-01T00:00:00Z'),
      deadlineAt: at('2026-03-10T00:00:00Z'),
    });
    expect(slaDueAt(r, DEFAULT_TIME_RULES).toISOString()).toBe('2026-03-04T00:00:00.000Z');
    const soon = { ...r, deadlineAt: at('2026-03-02T00:00:00Z') };
    expect(slaDueAt(soon, DEFAULT_TIME_RULES).toISOString()).toBe('2026-03-02T00:00:00.000Z');
  });

  it('only a request waiting for our answer can be overdue', () => {
    const r = requestRecord('q', 'a', {
      receivedAt: at('2026-03-01T00:00:00Z'),
      deadlineAt: at('2026-03-10T00:00:00Z'),
    });
    const late = at('2026-03-05T00:00:00Z');
    const overdue = (status: (typeof r)['status']) =>
      isOverdue({ ...r, status }, DEFAULT_TIME_RULES, late);
    expect(['received', 'in_review', 'awaiting_approval'].map((s) => overdue(s as never))).toEqual([
      true,
      true,
      true,
    ]);
    expect(['decided', 'challenged', 'closed', 'released'].map((s) => overdue(s as never))).toEqual(
      [false, false, false, false],
    );
    expect(isOverdue(r, DEFAULT_TIME_RULES, at('2026-03-03T00:00:00Z'))).toBe(false);
  });

  it('live emergencies sort first, then by due time (an emergency over keeps its short SLA)', () => {
    const base = requestRecord('q', 'a', { receivedAt: at('2026-03-01T00:00:00Z') });
    const late = { ...base, id: 'late', deadlineAt: at('2026-03-20T00:00:00Z') };
    const early = { ...base, id: 'early', deadlineAt: at('2026-03-02T00:00:00Z') };
    const emergency = {
      ...base,
      id: 'emergency',
      isEmergency: true,
      deadlineAt: at('2026-04-01T00:00:00Z'),
    };
    const over = { ...emergency, id: 'over', emergencyOverAt: at('2026-03-01T01:00:00Z') };
    const sorted = [late, over, early, emergency].sort((a, b) =>
      compareQueue(a, b, DEFAULT_TIME_RULES),
    );
    expect(sorted.map((r) => r.id)).toEqual(['emergency', 'over', 'early', 'late']);
  });

  it('an order expires at its end instant; the reminder window opens seven days before', () => {
    const end = at('2026-06-01T00:00:00Z');
    expect(ndoExpired(end, at('2026-05-31T23:59:59.999Z'))).toBe(false);
    expect(ndoExpired(end, end)).toBe(true);
    expect(ndoReminderDue(end, at('2026-05-24T23:59:59Z'), DEFAULT_TIME_RULES)).toBe(false);
    expect(ndoReminderDue(end, at('2026-05-25T00:00:00Z'), DEFAULT_TIME_RULES)).toBe(true);
    expect(ndoReminderDue(end, end, DEFAULT_TIME_RULES)).toBe(false);
  });

  it('range length rounds partial days up', () => {
    expect(rangeDays(at('2026-01-01T00:00:00Z'), at('2026-01-02T00:00:01Z'))).toBe(2);
  });
});
