import type { TileSize } from '@conclave/protocol';

export interface TileSizeReporterDeps {
  /** Sends one `media.tileSizes` request. */
  send: (tiles: TileSize[]) => Promise<unknown>;
  /** The subscribe mid of a remote track, undefined if the track is not (or no longer) remote. */
  midOf: (track: MediaStreamTrack) => string | undefined;
  debounceMs?: number;
}

/**
 * Tells the SFU how big each remote video is drawn, so it forwards the simulcast layer that fits
 * (or nothing for a hidden tile). Sizes are in device pixels, rounded to 16 px so small resizes
 * send nothing; reports are batched (250 ms) and only changed mids are sent. After every
 * subscribe offer (`remapped()`), mids may belong to someone else, so everything is sent again.
 */
export class TileSizeReporter {
  readonly #deps: TileSizeReporterDeps;
  /** Latest size per track (a track keeps its mid until the next offer). */
  readonly #byTrack = new Map<MediaStreamTrack, { width: number; height: number }>();
  /** What the server last heard, per mid. */
  readonly #sent = new Map<string, string>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;

  constructor(deps: TileSizeReporterDeps) {
    this.#deps = deps;
  }

  /** `size` null: the tile is gone or hidden. */
  report(track: MediaStreamTrack, size: { width: number; height: number } | null): void {
    if (this.#closed) return;
    const round = (n: number) => (Number.isFinite(n) && n > 0 ? Math.ceil(n / 16) * 16 : 0);
    const value = size
      ? { width: Math.min(16384, round(size.width)), height: Math.min(16384, round(size.height)) }
      : { width: 0, height: 0 };
    this.#byTrack.set(track, value);
    this.#schedule();
  }

  /** New mid map from a subscribe offer: resend every known size. */
  remapped(): void {
    this.#sent.clear();
    this.#schedule();
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
  }

  #schedule(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#flush();
    }, this.#deps.debounceMs ?? 250);
  }

  #flush(): void {
    if (this.#closed) return;
    const tiles: TileSize[] = [];
    const seen = new Set<string>();
    for (const [track, size] of this.#byTrack) {
      const mid = this.#deps.midOf(track);
      if (mid === undefined) {
        this.#byTrack.delete(track); // no longer a remote track
        continue;
      }
      if (seen.has(mid)) continue;
      seen.add(mid);
      const key = `${size.width}x${size.height}`;
      if (this.#sent.get(mid) === key) continue;
      this.#sent.set(mid, key);
      tiles.push({ mid, ...size });
    }
    if (tiles.length === 0) return;
    this.#deps.send(tiles.slice(0, 64)).catch(() => undefined);
  }
}
