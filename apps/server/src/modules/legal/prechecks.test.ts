import { describe, expect, it } from 'vitest';
import { requestRecord } from '../../storage/legal-store-contract';
import type { RequesterRecord } from './legal-store';
import { DEFAULT_PRECHECK_LIMITS, precheck } from './prechecks';
import type { ResolvedTarget } from './prechecks';

const verified = {
  emailVerifiedAt: new Date(),
  totpSecret: 'S',
  attestationAcceptedAt: new Date(),
} as RequesterRecord;

const resolved = (r: ReturnType<typeof requestRecord>, over: Partial<ResolvedTarget>[] = []) =>
  r.targets.map((target, i) => ({
    target,
    userId: 'u',
    accountId: 'a',
    accountCountry: 'US',
    accountSubdivision: 'CA',
    meetingId: null,
    ...over[i],
  }));

const codes = (p: ReturnType<typeof precheck>) =>
  p.filter((c) => c.level === 'flag').map((c) => c.code);

describe('pre-checks', () => {
  it('a clean, verified, in-jurisdiction subpoena for subscriber info raises no flag', () => {
    const r = requestRecord('q', 'a', { hasNdo: false, ndoEndAt: null });
    expect(codes(precheck(r, verified, resolved(r), DEFAULT_PRECHECK_LIMITS))).toEqual([]);
  });

  it('flags an unverified requester and an NDO without end date', () => {
    const r = requestRecord('q', 'a', { hasNdo: true, ndoEndAt: null });
    expect(codes(precheck(r, undefined, resolved(r), DEFAULT_PRECHECK_LIMITS))).toEqual([
      'requester_verified',
      'ndo_without_end_date',
    ]);
  });

  it('flags a subpoena asking for content and notes that content is not held', () => {
    const r = requestRecord('q', 'a', { wantsContent: true });
    const p = precheck(r, verified, resolved(r), DEFAULT_PRECHECK_LIMITS);
    expect(codes(p)).toContain('subpoena_for_content');
    expect(p.find((c) => c.code === 'content_not_held')?.level).toBe('info');
  });

  it('flags targets whose account is in another country or subdivision, and targets matching nothing', () => {
    const r = requestRecord('q', 'a');
    const p = precheck(
      r,
      verified,
      resolved(r, [
        { accountCountry: 'DE', accountSubdivision: null },
        { userId: null, accountId: null, meetingId: null },
      ]),
      DEFAULT_PRECHECK_LIMITS,
    );
    expect(p.find((c) => c.code === 'targets_outside_jurisdiction')?.targetIds).toEqual([
      r.targets[0]!.id,
    ]);
    expect(p.find((c) => c.code === 'targets_without_account')?.targetIds).toEqual([
      r.targets[1]!.id,
    ]);
  });

  it('flags too many targets and too long a date range', () => {
    const r = requestRecord('q', 'a', {
      rangeFrom: new Date('2020-01-01T00:00:00Z'),
      rangeTo: new Date('2026-01-01T00:00:00Z'),
    });
    const p = precheck(r, verified, resolved(r), { maxTargets: 1, maxRangeDays: 366 });
    expect(codes(p)).toEqual(expect.arrayContaining(['too_many_targets', 'date_range_too_long']));
  });
});
