import { DECISION_KINDS } from '@conclave/protocol';
import { describe, expect, it } from 'vitest';
import { isDisclosure, transition } from './decision-machine';

describe('decision state machine', () => {
  it('every disclosure, and only a disclosure, waits for a second reviewer', () => {
    for (const k of DECISION_KINDS)
      expect([k, transition('in_review', k)!.needsApproval]).toEqual([k, isDisclosure(k)]);
  });

  it('closed, withdrawn, released and decided requests take no new decision', () => {
    for (const s of ['closed', 'withdrawn', 'released', 'decided'] as const)
      for (const k of DECISION_KINDS) expect(transition(s, k)).toBeUndefined();
  });

  it('maps decisions to the reporting outcomes issue 8 counts', () => {
    expect(transition('received', 'reject')).toMatchObject({
      status: 'closed',
      outcome: 'rejected',
    });
    expect(transition('in_review', 'challenge')).toMatchObject({ status: 'challenged' });
    expect(transition('challenged', 'disclose_content')).toMatchObject({
      status: 'awaiting_approval',
      approvedStatus: 'decided',
      outcome: 'content_disclosed',
    });
    expect(transition('in_review', 'preserve')).toMatchObject({
      outcome: 'preserved',
      needsApproval: false,
    });
    expect(transition('in_review', 'no_responsive_data')).toMatchObject({ outcome: 'no_data' });
    // Process information only closes the request without a disclosure or a second reviewer.
    expect(transition('received', 'general_information')).toEqual({
      status: 'closed',
      outcome: 'general_information',
      needsApproval: false,
    });
  });

  it('a pending disclosure can be replaced by another decision', () => {
    expect(transition('awaiting_approval', 'reject')).toMatchObject({ status: 'closed' });
  });
});
