import type { ReactNode } from 'react';
import {
  BoardIcon,
  BreakoutIcon,
  CameraIcon,
  CaptionsIcon,
  ChatIcon,
  HandIcon,
  LeaveIcon,
  SmileIcon,
  LockIcon,
  MicIcon,
  MoreIcon,
  PeopleIcon,
  ScreenIcon,
} from '../../components/icons';
import { REACTIONS } from '@conclave/protocol';
import type { Reaction } from '@conclave/protocol';
import { MoreMenu } from './MoreMenu';
import { REACTION_LABELS } from './reactions';
import type { MoreMenuItem } from './MoreMenu';
import { RecordControl, recordMenuItems } from './recording/RecordControl';
import type { RecordControlProps } from './recording/RecordControl';
import type { LocalMedia } from './useLocalMedia';

export type PanelName =
  | 'none'
  | 'participants'
  | 'security'
  | 'chat'
  | 'whiteboard'
  | 'breakouts'
  | 'captions'
  | 'notifications';

export interface ToolbarProps {
  media: LocalMedia;
  panel: PanelName;
  onPanel: (p: PanelName) => void;
  isHost: boolean;
  /** A phone-sized screen: one row, the rest in More. */
  compact: boolean;
  /** A narrow desktop window: the less used tools move into More. */
  medium: boolean;
  participantCount: number;
  waitingCount: number;
  chatUnread: number;
  unseenNotices: number;
  captionsOn: boolean;
  sharing: boolean;
  canShare: boolean;
  onShare: () => void;
  /**
   * Set while end-to-end encryption is on: why captions (run by the server) are off. Chat, the
   * whiteboard and breakout rooms stay available, end-to-end encrypted.
   */
  e2eeReason: string | undefined;
  record: RecordControlProps;
  onCopyInvite: () => void;
  moreItems: MoreMenuItem[];
  onLeave: () => void;
  onEndForAll: () => void;
  handRaised: boolean;
  onRaiseHand: (raised: boolean) => void;
  onReact: (r: Reaction) => void;
}

function ToolButton(p: {
  label: string;
  icon: ReactNode;
  onClick: () => void;
  pressed?: boolean;
  state?: 'on' | 'off';
  unavailable?: string | undefined;
  disabled?: boolean;
  title?: string | undefined;
  className?: string;
  badge?: number;
  /** The accessible name when it says more than the label (unread counts). */
  name?: string | undefined;
}) {
  return (
    <button
      className={`tool${p.state ? ` ${p.state}` : ''}${p.unavailable ? ' unavailable' : ''}${p.className ? ` ${p.className}` : ''}`}
      aria-pressed={p.pressed}
      disabled={p.disabled}
      title={p.unavailable ?? p.title ?? p.label}
      aria-description={p.unavailable}
      aria-label={p.name}
      onClick={p.onClick}
    >
      <span className="tool-icon" aria-hidden="true">
        {p.icon}
        {p.unavailable && <LockIcon />}
        {p.badge !== undefined && p.badge > 0 && <span className="count">{p.badge}</span>}
      </span>
      <span className="tool-label">{p.label}</span>
    </button>
  );
}

function deviceItems(
  devices: MediaDeviceInfo[],
  kind: MediaDeviceKind,
  current: string | undefined,
  choose: (id: string) => Promise<void>,
): MoreMenuItem[] {
  const list = devices.filter((d) => d.kind === kind && d.deviceId);
  if (list.length === 0)
    return [{ label: 'No other device found', onSelect: () => {}, disabled: true }];
  return list.map((d, i) => ({
    label: d.label || `${kind === 'audioinput' ? 'Microphone' : 'Camera'} ${i + 1}`,
    checked: d.deviceId === current || (!current && i === 0),
    onSelect: () => void choose(d.deviceId),
  }));
}

/**
 * The meeting toolbar: media on the left, collaboration in the middle, leaving on the right.
 * Icons with labels; a muted microphone is a red crossed microphone; features that end-to-end
 * encryption turns off look unavailable (a lock) and say why in their tooltip.
 */
export function Toolbar(p: ToolbarProps) {
  const { media, panel } = p;
  const micOn = media.micOn && Boolean(media.microphone);
  const toggle = (name: PanelName) => p.onPanel(panel === name ? 'none' : name);
  const shareButton = p.canShare && (
    <ToolButton
      label={p.sharing ? 'Stop sharing' : 'Share screen'}
      icon={<ScreenIcon />}
      pressed={p.sharing}
      state={p.sharing ? 'on' : undefined}
      onClick={p.onShare}
    />
  );
  const chat = (
    <ToolButton
      label="Chat"
      icon={<ChatIcon />}
      pressed={panel === 'chat'}
      title={p.e2eeReason ? 'End-to-end encrypted' : undefined}
      badge={p.chatUnread}
      name={p.chatUnread > 0 ? `Chat (${p.chatUnread} new)` : undefined}
      onClick={() => toggle('chat')}
    />
  );
  const reactionItems: MoreMenuItem[] = REACTIONS.map((r) => ({
    label: REACTION_LABELS[r] ?? r,
    onSelect: () => p.onReact(r),
  }));
  // Collaboration tools that move into a menu when the bar is narrow.
  const collaboration: MoreMenuItem[] = [
    { label: 'Whiteboard', onSelect: () => toggle('whiteboard') },
    { label: 'Captions', onSelect: () => toggle('captions'), ...reasonOf(p.e2eeReason) },
    ...(p.isHost
      ? [
          {
            label: 'Breakout rooms',
            onSelect: () => toggle('breakouts'),
          },
        ]
      : []),
  ];
  const reactionMenu = reactionItems.map((i) => ({ ...i, label: `React: ${i.label}` }));
  const secondary: MoreMenuItem[] = [
    {
      label: p.handRaised ? 'Lower hand' : 'Raise hand',
      onSelect: () => p.onRaiseHand(!p.handRaised),
    },
    ...reactionMenu,
    ...(p.canShare
      ? [{ label: p.sharing ? 'Stop sharing' : 'Share screen', onSelect: p.onShare }]
      : []),
    ...collaboration,
    ...recordMenuItems(p.record),
  ];
  // A narrow desktop window keeps media, people, chat, hand, record and leave in the bar.
  const mediumMore: MoreMenuItem[] = [...collaboration, ...reactionMenu];
  const invite = { label: 'Copy invite link', onSelect: p.onCopyInvite };
  return (
    <nav className={`toolbar${p.compact ? ' compact' : ''}`} aria-label="Meeting controls">
      <div className="tool-group" role="group" aria-label="Microphone and camera">
        <ToolButton
          label={micOn ? 'Mute' : 'Unmute'}
          icon={<MicIcon off={!micOn} />}
          state={micOn ? 'on' : 'off'}
          disabled={!media.microphone}
          title={
            media.microphone ? `${micOn ? 'Mute' : 'Unmute'} (Ctrl+D)` : 'No microphone available'
          }
          onClick={() => media.setMicOn(!media.micOn)}
        />
        {!p.compact && (
          <MoreMenu
            label="Choose microphone"
            hideLabel
            className="tool caret"
            items={deviceItems(media.devices, 'audioinput', media.micDeviceId, (id) =>
              media.chooseMicrophone(id),
            )}
          />
        )}
        <ToolButton
          label={media.camera ? 'Stop video' : 'Start video'}
          icon={<CameraIcon off={!media.camera} />}
          state={media.camera ? 'on' : 'off'}
          disabled={media.camStatus === 'denied' || media.camStatus === 'unavailable'}
          title={`${media.camera ? 'Stop video' : 'Start video'} (Ctrl+E)`}
          onClick={() => void media.setCamOn(!media.camera)}
        />
        {!p.compact && (
          <MoreMenu
            label="Choose camera"
            hideLabel
            className="tool caret"
            items={deviceItems(media.devices, 'videoinput', media.camDeviceId, (id) =>
              media.chooseCamera(id),
            )}
          />
        )}
        {!p.compact && shareButton}
      </div>
      <div className="tool-group" role="group" aria-label="Collaboration">
        <ToolButton
          label={`Participants (${p.participantCount})${p.isHost && p.waitingCount > 0 ? ` · ${p.waitingCount} waiting` : ''}`}
          icon={<PeopleIcon />}
          pressed={panel === 'participants'}
          onClick={() => toggle('participants')}
          className="participants"
        />
        {chat}
        {!p.compact && !p.medium && (
          <>
            <ToolButton
              label="Whiteboard"
              icon={<BoardIcon />}
              pressed={panel === 'whiteboard'}
              title={p.e2eeReason ? 'End-to-end encrypted' : undefined}
              onClick={() => toggle('whiteboard')}
            />
            <ToolButton
              label="Captions"
              icon={<CaptionsIcon />}
              pressed={panel === 'captions'}
              state={p.captionsOn ? 'on' : undefined}
              unavailable={p.e2eeReason}
              onClick={() => toggle('captions')}
            />
            {p.isHost && (
              <ToolButton
                label="Breakout rooms"
                icon={<BreakoutIcon />}
                pressed={panel === 'breakouts'}
                title={
                  p.e2eeReason
                    ? 'End-to-end encrypted: each room is its own encrypted group'
                    : undefined
                }
                onClick={() => toggle('breakouts')}
              />
            )}
            <MoreMenu label="React" icon={<SmileIcon />} items={reactionItems} />
          </>
        )}
        {!p.compact && (
          <>
            <ToolButton
              label={p.handRaised ? 'Lower hand' : 'Raise hand'}
              icon={<HandIcon />}
              state={p.handRaised ? 'on' : undefined}
              title={`${p.handRaised ? 'Lower hand' : 'Raise hand'} (Ctrl+Alt+H)`}
              onClick={() => p.onRaiseHand(!p.handRaised)}
            />
            <RecordControl {...p.record} />
          </>
        )}
        <MoreMenu
          icon={<MoreIcon />}
          items={
            p.compact
              ? [...secondary, invite, ...p.moreItems]
              : p.medium
                ? [...mediumMore, invite, ...p.moreItems]
                : [invite, ...p.moreItems]
          }
        />
      </div>
      <div className="tool-group leave-group" role="group" aria-label="Leave">
        {p.isHost ? (
          // Hosts: one red Leave whose menu also ends the meeting for everyone (asked first).
          <MoreMenu
            label="Leave"
            icon={
              <span className="tool-icon" aria-hidden="true">
                <LeaveIcon />
              </span>
            }
            className="tool leave"
            title="Leave, or end the meeting for everyone"
            items={[
              { label: 'Leave meeting', onSelect: p.onLeave },
              { label: 'End meeting for all', onSelect: p.onEndForAll },
            ]}
          />
        ) : (
          <button
            className="tool leave"
            onClick={p.onLeave}
            title="Leave the meeting (the others stay)"
          >
            <span className="tool-icon" aria-hidden="true">
              <LeaveIcon />
            </span>
            <span className="tool-label">Leave</span>
          </button>
        )}
      </div>
    </nav>
  );
}

function reasonOf(reason: string | undefined): { reason?: string } {
  return reason ? { reason } : {};
}
