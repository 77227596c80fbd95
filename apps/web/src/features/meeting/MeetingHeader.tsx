import { formatMeetingId } from '@conclave/protocol';
import type { MeetingId } from '@conclave/protocol';
import type { ReactNode } from 'react';
import { BellIcon, GridIcon, ShieldIcon, SpeakerViewIcon } from '../../components/icons';
import type { MeetingSnapshot } from '../../state/meeting-store';
import type { LayoutMode } from './layout/Stage';
import { RecordingIndicator } from './recording/RecordingIndicator';

/**
 * The header: the meeting id, the security badge (what this device does, always visible, not
 * only in a toast: DESIGN.md §4.3), captions and recording indicators, the layout switch.
 */
export function MeetingHeader(props: {
  meetingId: MeetingId;
  snapshot: MeetingSnapshot;
  e2eeOn: boolean;
  keyWarning: boolean;
  layout: LayoutMode;
  onLayout: (l: LayoutMode) => void;
  onSecurity: () => void;
  onCaptions: () => void;
  /** New notices since the notifications panel was last open. */
  unseenNotices: number;
  notificationsOpen: boolean;
  onNotifications: () => void;
  children?: ReactNode;
}) {
  const { snapshot, e2eeOn, keyWarning } = props;
  const captions = snapshot.captions.state;
  return (
    <header className="meeting-header">
      <span className="meeting-title">Meeting {formatMeetingId(props.meetingId)}</span>
      <button
        className={`shield${e2eeOn ? ' e2ee' : ''}${keyWarning ? ' warning' : ''}`}
        data-testid="shield"
        data-warning={keyWarning ? 'true' : undefined}
        onClick={props.onSecurity}
        title={
          keyWarning
            ? `Check who holds the key: ${snapshot.e2ee!.rosterMismatch[0]}`
            : 'Open the security panel'
        }
      >
        {keyWarning ? (
          <>
            <ShieldIcon /> End-to-end encrypted — check who holds the key
          </>
        ) : e2eeOn ? (
          <>
            <ShieldIcon /> End-to-end encrypted
          </>
        ) : (
          'Encrypted in transit'
        )}
      </button>
      {captions?.on && (
        <button
          className="captions-indicator"
          data-testid="captions-indicator"
          onClick={props.onCaptions}
          title="The server transcribes the meeting's audio while captions are on."
        >
          ● Captions on
          {captions.startedBy ? ` (turned on by ${captions.startedBy.name})` : ''}
        </button>
      )}
      <RecordingIndicator state={snapshot.recording} />
      {props.children}
      <button
        className="icon-toggle notifications"
        aria-pressed={props.notificationsOpen}
        title="Notifications: everything this meeting told you"
        onClick={props.onNotifications}
      >
        <BellIcon />
        <span className="sr-only">Notifications</span>
        {props.unseenNotices > 0 && (
          <span className="count">
            {' '}
            {props.unseenNotices}
            <span className="sr-only"> new</span>
          </span>
        )}
      </button>
      <div className="layout-switch" role="group" aria-label="Layout">
        <button
          className="icon-toggle"
          aria-pressed={props.layout === 'gallery'}
          title="Gallery: everyone the same size"
          onClick={() => props.onLayout('gallery')}
        >
          <GridIcon /> <span className="tool-label">Gallery</span>
        </button>
        <button
          className="icon-toggle"
          aria-pressed={props.layout === 'speaker'}
          title="Speaker: whoever talks is shown large"
          onClick={() => props.onLayout('speaker')}
        >
          <SpeakerViewIcon /> <span className="tool-label">Speaker</span>
        </button>
      </div>
    </header>
  );
}
