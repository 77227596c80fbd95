import type { MeetingSnapshot } from '../../state/meeting-store';
import type { MoreMenuItem } from './MoreMenu';

/**
 * The More menu's E2EE item: always visible, disabled with the reason when it cannot be used
 * (DESIGN.md §4.1 rule 2): plan or admin, not the host, this browser, unsupported participants.
 */
export function e2eeMenuItem(
  snapshot: MeetingSnapshot,
  actions: { enable: () => void; disable: () => void },
): MoreMenuItem {
  const e2ee = snapshot.e2ee;
  const meeting = e2ee?.meeting;
  const isHost = snapshot.role === 'host';
  if (meeting && meeting.status !== 'off') {
    return {
      label: 'Turn off end-to-end encryption',
      onSelect: actions.disable,
      disabled: !isHost || meeting.status !== 'on',
      ...(!isHost ? { reason: 'Only the host can turn end-to-end encryption off.' } : {}),
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
