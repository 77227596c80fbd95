import type { RoomClient } from '@conclave/client';
import { useEffect, useState } from 'react';
import type { LocalMedia } from './useLocalMedia';

/** Keeps what the room sends in step with the local devices; a host mute turns the mic off. */
export function useRoomMediaSync(
  room: RoomClient | undefined,
  media: LocalMedia,
  mutedByHost: number,
): void {
  useEffect(() => {
    void room?.setCamera(media.camera);
  }, [room, media.camera]);
  useEffect(() => {
    void room?.replaceMicrophone(media.microphone);
  }, [room, media.microphone]);
  useEffect(() => {
    void room?.setMicrophoneMuted(!media.micOn || !media.microphone);
  }, [room, media.micOn, media.microphone]);
  // The host muted us: the microphone button shows it, and only we can unmute.
  const { setMicOn } = media;
  useEffect(() => {
    if (mutedByHost > 0) setMicOn(false);
  }, [mutedByHost, setMicOn]);
}

/** True while the media query matches (the phone layout). */
export function useMediaQuery(query: string): boolean {
  const get = () => typeof matchMedia !== 'undefined' && matchMedia(query).matches;
  const [matches, setMatches] = useState(get);
  useEffect(() => {
    if (typeof matchMedia === 'undefined') return;
    const mq = matchMedia(query);
    const on = () => setMatches(mq.matches);
    mq.addEventListener('change', on);
    on();
    return () => mq.removeEventListener('change', on);
  }, [query, setMatches]);
  return matches;
}
