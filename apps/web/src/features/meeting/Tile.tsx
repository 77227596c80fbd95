import type React from 'react';
import type { ParticipantId } from '@conclave/protocol';
import { VideoView } from './VideoView';
import { CameraIcon, HandIcon, MicIcon, PinIcon, ReactionIcon } from '../../components/icons';
import { REACTION_LABELS } from './reactions';

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
  /** A raised hand, shown on the tile. */
  handRaised?: boolean | undefined;
  /** A reaction they just sent, shown over the tile for a few seconds. */
  reaction?: string | undefined;
  /** Spotlit by the host for everyone. */
  spotlight?: boolean | undefined;
  /** Shown pinned (large) on this device. */
  pinned?: boolean;
  /** Pins or unpins this tile on this device; absent: no pin button (the self-view). */
  onPin?: (() => void) | undefined;
  /** The tile's size in the layout (px); the video keeps its own aspect ratio inside it. */
  size?: { width: number; height: number } | undefined;
  className?: string;
  /** Extra controls over the tile (the self-view's hide button). */
  children?: React.ReactNode;
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
      className={`tile${props.speaking ? ' speaking' : ''}${props.reconnecting ? ' reconnecting' : ''}${props.className ? ` ${props.className}` : ''}`}
      data-testid="tile"
      data-participant-id={props.participantId}
      aria-label={props.name}
      style={props.size ? { width: props.size.width, height: props.size.height } : undefined}
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
        {props.handRaised && (
          <span className="badge hand" role="img" aria-label="Hand raised" title="Hand raised">
            <HandIcon />
          </span>
        )}
        <span className="tile-name">{props.name}</span>
        {props.spotlight && <span className="badge spotlight">Spotlight</span>}
        {props.audioMuted && (
          <span className="badge" role="img" aria-label="Microphone muted" title="Microphone muted">
            <MicIcon off />
          </span>
        )}
        {props.videoMuted && (
          <span className="badge" role="img" aria-label="Camera off" title="Camera off">
            <CameraIcon off />
          </span>
        )}
        {props.reconnecting && <span className="badge">Reconnecting…</span>}
      </figcaption>
      {props.reaction && (
        <span
          className="reaction-bubble"
          role="img"
          aria-label={`${props.name}: ${REACTION_LABELS[props.reaction] ?? props.reaction}`}
          data-testid="reaction"
        >
          <ReactionIcon name={props.reaction} />
        </span>
      )}
      {props.onPin && (
        <button
          className={`tile-pin${props.pinned ? ' on' : ''}`}
          aria-pressed={Boolean(props.pinned)}
          aria-label={props.pinned ? `Unpin ${props.name}` : `Pin ${props.name}`}
          title={props.pinned ? 'Unpin' : 'Pin: keep this person large on your screen'}
          onClick={props.onPin}
        >
          <PinIcon />
        </button>
      )}
      {props.children}
      {props.caption && (
        <p className="tile-caption" data-testid="caption" aria-live="polite">
          <span className="caption-speaker">{props.name}:</span> {props.caption}
        </p>
      )}
    </figure>
  );
}
