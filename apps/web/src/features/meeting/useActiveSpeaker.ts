import type { RemoteTrack, RoomClient } from '@conclave/client';
import type { ParticipantId } from '@conclave/protocol';
import { useEffect, useState } from 'react';

const SPEAKING_LEVEL = 0.02;

/**
 * The loudest remote speaker, from the receivers' audio levels (getStats inbound-rtp
 * `audioLevel`), polled twice a second. Computed on this device; the server is not involved.
 */
export function useActiveSpeaker(
  room: RoomClient | undefined,
  tracks: readonly RemoteTrack[],
): ParticipantId | undefined {
  const [speaker, setSpeaker] = useState<ParticipantId>();
  useEffect(() => {
    const pc = room?.peerConnections.subscribe;
    if (!pc) return;
    const owners = new Map(
      tracks.filter((t) => t.kind === 'audio').map((t) => [t.track.id, t.participantId]),
    );
    const timer = setInterval(() => {
      pc.getStats().then(
        (report) => {
          let best: { id: ParticipantId; level: number } | undefined;
          report.forEach(
            (s: {
              type?: string;
              kind?: string;
              trackIdentifier?: string;
              audioLevel?: number;
            }) => {
              if (s.type !== 'inbound-rtp' || s.kind !== 'audio' || !s.trackIdentifier) return;
              const id = owners.get(s.trackIdentifier);
              const level = s.audioLevel ?? 0;
              if (id && level >= SPEAKING_LEVEL && (!best || level > best.level))
                best = { id, level };
            },
          );
          setSpeaker(best?.id);
        },
        () => undefined,
      );
    }, 500);
    return () => clearInterval(timer);
  }, [room, tracks]);
  return speaker;
}
