/**
 * Gallery geometry: the number of columns that gives the largest 16:9 tiles for `count` tiles in a
 * `width` x `height` area, and how many tiles fit on one page before they get too small. Videos
 * are letterboxed inside their tiles (object-fit: contain), so no picture is cropped.
 */

export const TILE_ASPECT = 16 / 9;
export const GAP_PX = 8;

export interface GalleryGeometry {
  cols: number;
  rows: number;
  tileWidth: number;
  tileHeight: number;
}

/** The best grid for exactly `count` tiles. */
export function fitGrid(
  width: number,
  height: number,
  count: number,
  aspect = TILE_ASPECT,
): GalleryGeometry {
  const n = Math.max(1, count);
  let best: GalleryGeometry = { cols: 1, rows: n, tileWidth: 0, tileHeight: 0 };
  for (let cols = 1; cols <= n; cols++) {
    const rows = Math.ceil(n / cols);
    const w = Math.min(
      (width - GAP_PX * (cols - 1)) / cols,
      ((height - GAP_PX * (rows - 1)) / rows) * aspect,
    );
    if (w > best.tileWidth)
      best = { cols, rows, tileWidth: Math.floor(w), tileHeight: Math.floor(w / aspect) };
  }
  return best;
}

/**
 * How many of `count` tiles go on one page: as many as fit with tiles at least `minTileWidth`
 * wide, never more than `maxPerPage` (16 on a desktop, fewer on a phone), at least one.
 */
export function tilesPerPage(
  width: number,
  height: number,
  count: number,
  minTileWidth: number,
  maxPerPage: number,
): number {
  for (let n = Math.min(count, maxPerPage); n > 1; n--)
    if (fitGrid(width, height, n).tileWidth >= minTileWidth) return n;
  return 1;
}

/** The tiles of page `page` (0-based) of `items`, `perPage` at a time. */
export function pageOf<T>(items: readonly T[], perPage: number, page: number): T[] {
  const pages = Math.max(1, Math.ceil(items.length / perPage));
  const p = Math.min(Math.max(0, page), pages - 1);
  return items.slice(p * perPage, (p + 1) * perPage);
}

/**
 * Who goes first: the pinned or spotlit person, then the most recent speakers, then the others
 * in join order. `lastSpoke` maps ids to the time they last spoke.
 */
export function orderTiles(
  ids: readonly string[],
  lastSpoke: ReadonlyMap<string, number>,
  first?: string,
): string[] {
  const joinOrder = new Map(ids.map((id, i) => [id, i]));
  return [...ids].sort((a, b) => {
    if (a === first) return -1;
    if (b === first) return 1;
    const d = (lastSpoke.get(b) ?? 0) - (lastSpoke.get(a) ?? 0);
    return d !== 0 ? d : joinOrder.get(a)! - joinOrder.get(b)!;
  });
}
