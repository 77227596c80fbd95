import { useEffect, useRef } from 'react';
import { useTileSize } from './useTileSize';

/** A <video> bound to one track. */
export function VideoView(props: {
  track: MediaStreamTrack;
  muted?: boolean;
  mirror?: boolean;
  label: string;
  testId?: string;
}) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.srcObject = new MediaStream([props.track]);
    el.play().catch(() => undefined);
    return () => {
      el.srcObject = null;
    };
  }, [props.track]);
  useTileSize(ref, props.track);
  return (
    <video
      ref={ref}
      autoPlay
      playsInline
      muted={props.muted ?? true}
      aria-label={props.label}
      data-testid={props.testId}
      className={props.mirror ? 'mirror' : undefined}
    />
  );
}

/** Plays one remote audio track (hidden). */
export function AudioSink(props: { track: MediaStreamTrack }) {
  const ref = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.srcObject = new MediaStream([props.track]);
    el.play().catch(() => undefined);
    return () => {
      el.srcObject = null;
    };
  }, [props.track]);
  return <audio ref={ref} autoPlay hidden />;
}
