import { createContext, useContext, useEffect, type RefObject } from 'react';

/** Where tile sizes go: the RoomClient (`reportTileSize`); absent outside a meeting. */
export interface TileSizeSink {
  reportTileSize(track: MediaStreamTrack, size: { width: number; height: number } | null): void;
}

export const TileSizeContext = createContext<TileSizeSink | undefined>(undefined);

/**
 * Reports how big `track` is drawn in `ref` (device pixels), and 0x0 while it is scrolled out of
 * view or the page is hidden, so the SFU sends a layer that fits, or nothing.
 */
export function useTileSize(ref: RefObject<HTMLElement | null>, track: MediaStreamTrack): void {
  const sink = useContext(TileSizeContext);
  useEffect(() => {
    const el = ref.current;
    if (!sink || !el || typeof ResizeObserver === 'undefined') return;
    let visible = true;
    const report = () => {
      const dpr = window.devicePixelRatio || 1;
      const shown = visible && document.visibilityState !== 'hidden';
      const drawn = drawnSize(el);
      sink.reportTileSize(
        track,
        shown ? { width: drawn.width * dpr, height: drawn.height * dpr } : null,
      );
    };
    // A new frame size (another simulcast layer, a rotated phone) changes the drawn picture.
    el.addEventListener('resize', report);
    const resize = new ResizeObserver(report);
    resize.observe(el);
    const intersect =
      typeof IntersectionObserver === 'undefined'
        ? undefined
        : new IntersectionObserver((entries) => {
            visible = entries.some((e) => e.isIntersecting);
            report();
          });
    intersect?.observe(el);
    document.addEventListener('visibilitychange', report);
    report();
    return () => {
      resize.disconnect();
      intersect?.disconnect();
      document.removeEventListener('visibilitychange', report);
      el.removeEventListener('resize', report);
      sink.reportTileSize(track, null);
    };
  }, [sink, ref, track]);
}

/**
 * The size the picture is drawn at: a letterboxed video (object-fit: contain) fills only part of
 * its box, and asking for a layer that covers the whole box would waste the downlink.
 */
function drawnSize(el: HTMLElement): { width: number; height: number } {
  const box = { width: el.clientWidth, height: el.clientHeight };
  if (!(el instanceof HTMLVideoElement) || !el.videoWidth || !el.videoHeight) return box;
  if (getComputedStyle(el).objectFit !== 'contain') return box;
  const scale = Math.min(box.width / el.videoWidth, box.height / el.videoHeight);
  return { width: el.videoWidth * scale, height: el.videoHeight * scale };
}
