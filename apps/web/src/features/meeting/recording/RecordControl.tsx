import type { RecordingState } from '@conclave/protocol';
import { RecordIcon } from '../../../components/icons';
import { MoreMenu } from '../MoreMenu';
import type { MoreMenuItem } from '../MoreMenu';

export interface RecordControlProps {
  state: RecordingState | undefined;
  isHost: boolean;
  /** E2EE is on or turning on: the server cannot record. */
  e2eeOn: boolean;
  localRecording: boolean;
  localSupported: boolean;
  onCloud: (on: boolean) => void;
  onLocal: (on: boolean) => void;
  onAllowLocal: (allowed: boolean) => void;
}

/** The Record menu's items: cloud recording (host), recording on this device, the host's permission. */
export function recordMenuItems(p: RecordControlProps): MoreMenuItem[] {
  const s = p.state;
  const cloudOn = Boolean(s?.cloud.on);
  const items: MoreMenuItem[] = [];
  if (cloudOn)
    items.push({
      label: 'Stop cloud recording',
      onSelect: () => p.onCloud(false),
      disabled: !p.isHost,
      ...(p.isHost ? {} : { reason: 'Only the host or a co-host can stop it.' }),
    });
  else {
    const reason = !p.isHost
      ? 'Only the host or a co-host can record to the cloud.'
      : p.e2eeOn
        ? 'Not available with end-to-end encryption: the server cannot see the media. Record on your device instead.'
        : !s?.cloud.available
          ? (s?.cloud.unavailableReason ?? 'Cloud recording is not available.')
          : undefined;
    items.push({
      label: 'Record to the cloud',
      onSelect: () => p.onCloud(true),
      disabled: reason !== undefined,
      ...(reason ? { reason } : {}),
    });
  }
  const mayLocal = p.isHost || Boolean(s?.localAllowed);
  const localReason = !p.localSupported
    ? 'This browser cannot record.'
    : mayLocal
      ? undefined
      : 'The host has not allowed participants to record.';
  items.push({
    label: p.localRecording ? 'Stop recording on this device' : 'Record on this device',
    onSelect: () => p.onLocal(!p.localRecording),
    disabled: !p.localRecording && localReason !== undefined,
    ...(!p.localRecording && localReason ? { reason: localReason } : {}),
  });
  if (p.isHost)
    items.push({
      label: s?.localAllowed
        ? 'Stop participants recording on their devices'
        : 'Allow participants to record on their devices',
      onSelect: () => p.onAllowLocal(!s?.localAllowed),
    });
  return items;
}

/** The toolbar's Record menu. */
export function RecordControl(p: RecordControlProps) {
  const on = Boolean(p.state?.cloud.on) || p.localRecording;
  return (
    <MoreMenu
      label={on ? '● Record' : 'Record'}
      icon={<RecordIcon />}
      className={`tool${on ? ' recording' : ''}`}
      items={recordMenuItems(p)}
    />
  );
}
