import { describe, expect, it } from 'vitest';
import { actionText, detailText, plural } from './audit-text';

describe('admin history in words', () => {
  it('names actions and describes only what changed', () => {
    expect(actionText('plan.change')).toBe('Changed the plan');
    expect(actionText('something.new_thing')).toBe('Something new thing');
    expect(detailText({ from: 'basic', to: 'business' })).toBe('basic → business');
    expect(
      detailText({
        from: { waitingRoomByDefault: false, passcodeRequired: false },
        to: { waitingRoomByDefault: true, passcodeRequired: false },
      }),
    ).toBe('waiting room by default: off → on');
    expect(detailText({ email: 'a@b.test', role: 'member' })).toBe('email: a@b.test, role: member');
    expect(detailText({})).toBe('');
  });

  it('counts with the right plural', () => {
    expect(plural(1, 'user')).toBe('1 user');
    expect(plural(0, 'user')).toBe('0 users');
    expect(plural(2, 'user')).toBe('2 users');
  });
});
