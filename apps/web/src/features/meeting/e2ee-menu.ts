import type { MeetingSnapshot } from '../../state/meeting-store';
import type { MoreMenuItem } from './MoreMenu';

/**
 * The More menu's E2EE item: always visible, disabled with the reason when it cannot be used
 * (DESIGN.md §4.1 rule 2): plan or admin, not the host, this browser, unsupported participants.
 * While breakout rooms are open, turning off is refused: each room's group only turns off on an
 * authenticated message from the host's device inside it, and the host's device is in one
 * group only, so the server refuses it too (issue 18); the item says to close the rooms first.
 */
export function e2eeMenuItem(
  snapshot: MeetingSnapshot,
  actions: { enable: () => void; disable: () => void },
): MoreMenuItem {
  const e2ee = snapshot.e2ee;
  const meeting = e2ee?.meeting;
  const isHost = snapshot.role === 'host';
  if (meeting && meeting.status !== 'off') {
    const offReason = !isHost
      ? 'Only the host can turn end-to-end encryption off.'
      : snapshot.breakouts.status !== 'none'
        ? 'Close the breakout rooms first: each room is encrypted with its own keys, which only the rooms can turn off. Turn encryption off once everyone is back in the main room.'
        : undefined;
    return {
      label: 'Turn off end-to-end encryption',
      onSelect: actions.disable,
      disabled: offReason !== undefined || meeting.status !== 'on',
      ...(offReason ? { reason: offReason } : {}),
    };
  }
  const unsupported = snapshot.participants.filter((p) => !p.e2eeCapable);
  const reason = !meeting?.available
    ? (meeting?.unavailableReason ??
      'End-to-end encryption is not available with your subscription. Check with your account admin.')
    : !isHost
      ? 'Only the host can turn on end-to-end encryption.'
      : !e2ee?.capable
        ? 'This browser cannot do end-to-end encryption. Use a current Chrome or Edge, or the desktop app.'
        : unsupported.length > 0
          ? `Not possible while ${unsupported.map((p) => `${p.displayName} (${p.clientLabel})`).join(', ')} ${unsupported.length === 1 ? 'uses a client' : 'use clients'} without end-to-end encryption.`
          : undefined;
  return {
    label: 'Turn on end-to-end encryption',
    onSelect: actions.enable,
    disabled: reason !== undefined,
    ...(reason ? { reason } : {}),
  };
}
