import type { MeetingId } from '@conclave/protocol';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { MeetingStore } from '../../../state/meeting-store';
import { LocalRecorder, saveRecording } from './local-recorder';

/**
 * Recording on this device: starts the recorder, tells the meeting (everyone sees who records),
 * and saves the WebM when it stops — by choice, when the host withdraws permission, or on leave.
 */
export function useLocalRecording(
  store: MeetingStore,
  meetingId: MeetingId,
  sources: { root: () => HTMLElement | null; audioTracks: () => MediaStreamTrack[] },
) {
  const recorder = useRef<LocalRecorder | undefined>(undefined);
  const [recording, setRecording] = useState(false);
  const snapshot = store.getSnapshot();
  const selfId = snapshot.selfId;
  const listed = Boolean(snapshot.recording?.local.some((p) => p.id === selfId));

  const stop = useCallback(async () => {
    const r = recorder.current;
    if (!r) return;
    recorder.current = undefined;
    setRecording(false);
    const blob = await r.stop();
    const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
    saveRecording(blob, `conclave-${meetingId}-${stamp}.webm`);
    await store.room?.setLocalRecording(false).catch(() => undefined);
  }, [store, meetingId]);

  const start = useCallback(async () => {
    if (recorder.current) return;
    // The meeting is told first: if the host does not allow it, nothing is recorded.
    await store.room?.setLocalRecording(true);
    recorder.current = LocalRecorder.start(sources);
    setRecording(true);
  }, [store, sources]);

  // The host withdrew permission: the server dropped us from the list; stop and save.
  useEffect(() => {
    if (recording && snapshot.recording && !listed) void stop();
  }, [recording, listed, snapshot.recording, stop]);
  useEffect(() => () => void recorder.current?.stop(), []);

  return { recording, start, stop, supported: LocalRecorder.isSupported() };
}
