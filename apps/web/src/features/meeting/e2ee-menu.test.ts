import { describe, expect, it } from 'vitest';
import type { MeetingSnapshot } from '../../state/meeting-store';
import { e2eeMenuItem } from './e2ee-menu';

const on = {
  status: 'on',
  epoch: 3,
  enabledBy: 'h',
  available: true,
  unavailableReason: null,
  policy: 'downgrade',
  members: ['h'],
};
const snapshot = (breakouts: 'none' | 'open', role: 'host' | 'participant' = 'host') =>
  ({
    role,
    participants: [],
    e2ee: { meeting: on, capable: true },
    breakouts: { status: breakouts, rooms: [], assignments: {}, endsAt: null, closingAt: null },
  }) as unknown as MeetingSnapshot;
const actions = { enable: () => undefined, disable: () => undefined };

describe('the E2EE item of the More menu', () => {
  it('lets the host turn encryption off when no breakout rooms are open', () => {
    expect(e2eeMenuItem(snapshot('none'), actions)).toMatchObject({
      label: 'Turn off end-to-end encryption',
      disabled: false,
    });
  });

  it('while breakout rooms are open, is disabled and says to close them first (the server refuses too)', () => {
    const item = e2eeMenuItem(snapshot('open'), actions);
    expect(item.disabled).toBe(true);
    expect(item.reason).toMatch(/Close the breakout rooms first/);
  });

  it('tells a participant only the host can turn it off', () => {
    expect(e2eeMenuItem(snapshot('none', 'participant'), actions).reason).toMatch(/Only the host/);
  });
});
