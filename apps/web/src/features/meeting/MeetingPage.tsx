import { ConclaveError, parseMeetingId } from '@conclave/protocol';
import type { MeetingId, MeetingInfo } from '@conclave/protocol';
import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { useParams } from 'react-router';
import { api } from '../../app/api';
import { ErrorScreen } from '../../components/ErrorScreen';
import { hostKeyFor, saveDisplayName } from '../../state/host-keys';
import { MeetingStore } from '../../state/meeting-store';
import { savedVideoQuality } from '../../state/video-quality';
import { MeetingRoom } from './MeetingRoom';
import { PreJoin } from './PreJoin';
import { TileSizeContext } from './useTileSize';
import { useLocalMedia } from './useLocalMedia';

type Lookup =
  | { status: 'loading' }
  | { status: 'ok'; info: MeetingInfo }
  | { status: 'error'; error: ConclaveError };

export function MeetingPage() {
  const params = useParams();
  const meetingId = parseMeetingId(params.meetingId ?? '');
  if (!meetingId)
    return (
      <ErrorScreen title="Meeting not found" message="This link does not point to a meeting." />
    );
  return <MeetingFlow meetingId={meetingId} />;
}

function MeetingFlow({ meetingId }: { meetingId: MeetingId }) {
  const [lookup, setLookup] = useState<Lookup>({ status: 'loading' });
  const [joinError, setJoinError] = useState<{ message: string; code: string | undefined }>();
  const [joining, setJoining] = useState(false);
  const store = useMemo(() => new MeetingStore(), []);
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const media = useLocalMedia(savedVideoQuality());

  useEffect(() => {
    api.meetingInfo(meetingId).then(
      (info) => setLookup({ status: 'ok', info }),
      (error: unknown) =>
        setLookup({
          status: 'error',
          error: error instanceof ConclaveError ? error : new ConclaveError('INTERNAL'),
        }),
    );
  }, [meetingId]);

  useEffect(() => () => void store.leave(), [store]);

  if (lookup.status === 'loading')
    return (
      <main className="screen center" aria-busy="true">
        <p>Looking up the meeting…</p>
      </main>
    );
  if (lookup.status === 'error') {
    if (lookup.error.code === 'MEETING_NOT_FOUND')
      return (
        <ErrorScreen
          title="Meeting not found"
          message={`There is no meeting with the id ${meetingId}. Check the link or ask the host for a new one.`}
        />
      );
    return <ErrorScreen title="Cannot open this meeting" message={lookup.error.message} />;
  }
  if (lookup.info.status === 'ended' || snapshot.connection.status === 'ended')
    return (
      <ErrorScreen
        title="This meeting has ended"
        message="The host ended the meeting for everyone."
      >
        {snapshot.finalTranscript && (
          <button className="button" onClick={() => void store.downloadTranscript(meetingId)}>
            Download transcript
          </button>
        )}
      </ErrorScreen>
    );
  if (snapshot.connection.status === 'removed')
    return (
      <ErrorScreen
        title="You were removed from the meeting"
        message="The host removed you from this meeting."
      />
    );
  if (snapshot.connection.status === 'left')
    return (
      <ErrorScreen title="You left the meeting" message="Thanks for joining.">
        <button className="button" onClick={() => location.reload()}>
          Rejoin
        </button>
      </ErrorScreen>
    );

  const inMeeting =
    snapshot.connection.status !== 'idle' && snapshot.connection.status !== 'connecting';
  if (!inMeeting) {
    return (
      <PreJoin
        meetingId={meetingId}
        requiresPasscode={lookup.info.requiresPasscode && !hostKeyFor(meetingId)}
        media={media}
        busy={joining}
        error={joinError}
        onJoin={async (displayName, passcode) => {
          setJoining(true);
          setJoinError(undefined);
          saveDisplayName(displayName);
          try {
            const hostKey = hostKeyFor(meetingId);
            await store.join({
              meetingId,
              displayName,
              ...(passcode ? { passcode } : {}),
              ...(hostKey ? { hostKey } : {}),
              microphone: media.microphone,
              camera: media.camera,
              micOn: media.micOn,
            });
          } catch (err) {
            setJoinError({
              message: err instanceof Error ? err.message : 'Could not join the meeting.',
              code: err instanceof ConclaveError ? err.code : undefined,
            });
          } finally {
            setJoining(false);
          }
        }}
      />
    );
  }
  return (
    <TileSizeContext.Provider value={store.room}>
      <MeetingRoom meetingId={meetingId} store={store} snapshot={snapshot} media={media} />
    </TileSizeContext.Provider>
  );
}
