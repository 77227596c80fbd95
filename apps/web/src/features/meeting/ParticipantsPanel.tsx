import type { Participant, ParticipantId } from '@conclave/protocol';
import { CameraIcon, HandIcon, MicIcon } from '../../components/icons';

export interface ParticipantsPanelProps {
  participants: Participant[];
  selfId: ParticipantId | undefined;
  isHost: boolean;
  onMute: (id: ParticipantId) => void;
  onRemove: (id: ParticipantId) => void;
  onStopShare: (id: ParticipantId) => void;
  onAdmitHeld: (id: ParticipantId) => void;
  /** Host: spotlight someone for everyone, or end it (null). */
  onSpotlight: (id: ParticipantId | null) => void;
  /** Let someone in from the waiting room. */
  onAdmit: (id: ParticipantId) => void;
  onClose: () => void;
}

export function ParticipantsPanel(props: ParticipantsPanelProps) {
  return (
    <aside className="panel" aria-label="Participants">
      <header className="panel-header">
        <h2>Participants ({props.participants.length})</h2>
        <button className="icon-button" aria-label="Close participants" onClick={props.onClose}>
          ×
        </button>
      </header>
      <ul className="participant-list">
        {props.participants.map((p) => (
          <li key={p.id} data-participant-id={p.id}>
            <span className="name">
              {p.displayName}
              {p.id === props.selfId ? ' (you)' : ''}
              {p.role === 'host' ? ' · host' : ''}
              {!p.connected ? ' · reconnecting' : ''}
              {p.sharing ? ' · sharing screen' : ''}
              {p.spotlight ? ' · spotlight' : ''}
              {p.waiting
                ? ' · in the waiting room'
                : p.held
                  ? ` · waiting (${p.clientLabel} cannot do end-to-end encryption)`
                  : ''}
            </span>
            <span className="indicators">
              {p.handRaised && (
                <span role="img" aria-label="Hand raised" className="hand">
                  <HandIcon />
                </span>
              )}
              <span role="img" aria-label={p.audioMuted ? 'Microphone muted' : 'Microphone on'}>
                <MicIcon off={p.audioMuted} />
              </span>
              <span role="img" aria-label={p.videoMuted ? 'Camera off' : 'Camera on'}>
                <CameraIcon off={p.videoMuted} />
              </span>
            </span>
            {props.isHost && p.id !== props.selfId && (
              <span className="actions">
                <button
                  className="button small secondary"
                  disabled={p.audioMuted}
                  onClick={() => props.onMute(p.id)}
                  aria-label={`Mute ${p.displayName}`}
                >
                  Mute
                </button>
                {p.waiting && (
                  <button
                    className="button small"
                    onClick={() => props.onAdmit(p.id)}
                    aria-label={`Let ${p.displayName} in from the waiting room`}
                  >
                    Let in
                  </button>
                )}
                {p.held && !p.waiting && (
                  <button
                    className="button small"
                    onClick={() => props.onAdmitHeld(p.id)}
                    aria-label={`Let ${p.displayName} in (turns off end-to-end encryption)`}
                  >
                    Let in
                  </button>
                )}
                <button
                  className="button small secondary"
                  onClick={() => props.onSpotlight(p.spotlight ? null : p.id)}
                  aria-label={
                    p.spotlight
                      ? `Remove the spotlight from ${p.displayName}`
                      : `Spotlight ${p.displayName} for everyone`
                  }
                >
                  {p.spotlight ? 'Unspotlight' : 'Spotlight'}
                </button>
                {p.sharing && (
                  <button
                    className="button small secondary"
                    onClick={() => props.onStopShare(p.id)}
                    aria-label={`Stop ${p.displayName}'s screen share`}
                  >
                    Stop share
                  </button>
                )}
                <button
                  className="button small danger-outline"
                  onClick={() => props.onRemove(p.id)}
                  aria-label={`Remove ${p.displayName}`}
                >
                  Remove
                </button>
              </span>
            )}
          </li>
        ))}
      </ul>
    </aside>
  );
}
