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
      sink.reportTileSize(
        track,
        shown ? { width: el.clientWidth * dpr, height: el.clientHeight * dpr } : null,
      );
    };
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
      sink.reportTileSize(track, null);
    };
  }, [sink, ref, track]);
}
