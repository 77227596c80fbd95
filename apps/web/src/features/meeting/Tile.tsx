import type { ParticipantId } from '@conclave/protocol';
import { VideoView } from './VideoView';
import { CameraIcon, MicIcon } from '../../components/icons';

export interface TileProps {
  participantId: ParticipantId | undefined;
  name: string;
  video: MediaStreamTrack | null;
  audioMuted: boolean;
  videoMuted: boolean;
  speaking?: boolean;
  reconnecting?: boolean;
  mirror?: boolean;
  /** The speaker's latest live caption. */
  caption?: string | undefined;
}

/** One person in the grid: video or initials, name, mute and camera-off indicators. */
export function Tile(props: TileProps) {
  const showVideo = props.video && !props.videoMuted;
  const initials = props.name
    .split(/\s+/)
    .map((w) => w[0])
    .join('')
    .slice(0, 2)
    .toUpperCase();
  return (
    <figure
      className={`tile${props.speaking ? ' speaking' : ''}${props.reconnecting ? ' reconnecting' : ''}`}
      data-testid="tile"
      data-participant-id={props.participantId}
      aria-label={props.name}
    >
      {showVideo ? (
        <VideoView
          track={props.video!}
          muted
          mirror={props.mirror}
          label={`Video of ${props.name}`}
          testId="tile-video"
        />
      ) : (
        <div className="avatar" aria-hidden="true">
          {initials}
        </div>
      )}
      <figcaption>
        <span className="tile-name">{props.name}</span>
        {props.audioMuted && (
          <span className="badge" aria-label="Microphone muted" title="Microphone muted">
            <MicIcon off />
          </span>
        )}
        {props.videoMuted && (
          <span className="badge" aria-label="Camera off" title="Camera off">
            <CameraIcon off />
          </span>
        )}
        {props.reconnecting && <span className="badge">Reconnecting…</span>}
      </figcaption>
      {props.caption && (
        <p className="tile-caption" data-testid="caption" aria-live="polite">
          <span className="caption-speaker">{props.name}:</span> {props.caption}
        </p>
      )}
    </figure>
  );
}
