import type { ParticipantId } from '@conclave/protocol';
import type { E2eeManager } from '../e2ee/e2ee-manager';
import type { WhiteboardClient } from './whiteboard-client';

/**
 * Keeps the whiteboard in step with the E2EE group (issue 18). After every key change: retry the
 * sealed updates that did not open yet, and, on exactly one device, send a sealed snapshot of the
 * whole document. That device is the member with the lowest leaf index among those that were in
 * the group before the change (every such member computes the same one; a device that just
 * joined has no document to give and never sends). When the host's device turns E2EE off, it
 * puts the document back on the server in the clear, so nothing drawn under E2EE is lost.
 */
export function syncBoardWithE2ee(
  e2ee: E2eeManager,
  board: WhiteboardClient,
  self: () => ParticipantId | undefined,
): void {
  board.setSealer({
    active: () => e2ee.view.meeting.status !== 'off',
    seal: (update) => e2ee.sealBoard(update),
    open: (sealed) => e2ee.openBoard(sealed),
  });
  let epoch: number | null = null;
  let before = new Set<string>();
  e2ee.on('view', (v) => {
    const local = v.local;
    const now = local?.inGroup ? local.epoch : null;
    if (now === epoch) return;
    epoch = now;
    const roster = local?.inGroup ? local.roster : [];
    const previous = before;
    before = new Set(roster.map((m) => m.deviceId));
    if (now === null) return;
    void board.retryPending();
    const stayed = roster.filter((m) => previous.has(m.deviceId));
    const sender = stayed.reduce<(typeof roster)[number] | undefined>(
      (low, m) => (!low || m.leafIndex < low.leafIndex ? m : low),
      undefined,
    );
    if (sender && sender.deviceId === self()) void board.shareSnapshot().catch(() => undefined);
  });
  e2ee.on('turnedOff', (byThisDevice) => {
    before = new Set();
    epoch = null;
    if (byThisDevice) void board.pushPlaintextState().catch(() => undefined);
  });
}
