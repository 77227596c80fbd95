import { describe, expect, it, vi } from 'vitest';
import type { Participant, ParticipantId } from '@conclave/protocol';
import { E2eeManager } from './e2ee-manager';
import type { E2eeView } from './e2ee-view';
import { rosterWarnings } from './roster-check';

vi.mock('./roster-check', async (original) => {
  const real = await original<typeof import('./roster-check')>();
  return { rosterWarnings: vi.fn(real.rosterWarnings) };
});

// Issue 18: the roster check of the E2EE view (UI only: the security panel's warnings) runs
// when the view is read, once, not on every key change a device goes through, e.g. between its
// breakout move and its room's keys.
describe('the E2EE view', () => {
  it('works out its roster warnings when they are read, once', () => {
    const people: Participant[] = [];
    const manager = new E2eeManager({
      capabilities: { encodedTransform: 'native', mlsCiphersuites: [1], clientLabel: 'test' },
      worker: null,
      selfId: () => 'p-1' as ParticipantId,
      participants: () => people,
      isHost: () => false,
    });
    const views: E2eeView[] = [];
    manager.on('view', (v) => views.push(v));
    manager.participantsChanged();
    manager.participantsChanged();
    expect(views).toHaveLength(2);
    expect(rosterWarnings).not.toHaveBeenCalled();

    expect(views[1]!.rosterMismatch).toEqual([]);
    expect(views[1]!.rosterMismatch).toEqual([]);
    expect(rosterWarnings).toHaveBeenCalledTimes(1);
    // A copy (as the UI keeps it) carries the same warnings.
    expect({ ...views[0]! }.rosterMismatch).toEqual([]);
    expect(rosterWarnings).toHaveBeenCalledTimes(2);
  });
});
