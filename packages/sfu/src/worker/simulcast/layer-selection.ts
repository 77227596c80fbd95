/**
 * Which simulcast layer each video consumer of one subscriber gets: pure functions, so the
 * policy is unit-tested apart from RTP.
 *
 * 1. Tile size: a hidden tile (or one the client reported as 0x0) gets nothing; otherwise the
 *    smallest layer at least as tall as the tile (in device pixels) is the most it needs, since a
 *    bigger one would only be scaled down.
 * 2. Bandwidth: audio is served first (its bitrate is taken off the estimate); the rest is shared
 *    among video consumers, largest tile first: each visible one first gets its lowest layer,
 *    then upgrades go largest tile first while they fit. What does not fit is not forwarded: a
 *    tile whose lowest layer does not fit what is left is paused (sending it anyway would fill
 *    the link's queue and freeze every stream, audio included), except the largest tile, which
 *    always gets its lowest layer. A tile already forwarded keeps its lowest layer up to 25 %
 *    over the budget, so an estimate that dips while draining a queue does not pause it.
 * 3. A layer the publisher stopped sending (its uplink is constrained, or it is paused) is
 *    skipped: the subscriber falls back to the best layer that flows.
 * Upgrades need 15 % headroom over the layer's measured bitrate, so a link near a layer's rate
 * does not flap between two layers (each switch costs a key frame).
 */

export interface LayerState {
  /** Packets arrived recently. */
  active: boolean;
  /** Measured bitrate on the wire (payload and packet overhead), bits/s (0 until measured). */
  bitrate: number;
  /** Key frame height, 0 until one was seen. */
  height: number;
}

export interface VideoDemand {
  /** The producer's layers, lowest first. */
  layers: readonly LayerState[];
  /** Tile height in device pixels (Infinity: unknown, no cap). 0 = hidden. */
  maxHeight: number;
  /** Larger tiles are upgraded first. */
  priority: number;
  /** Layer forwarded now, -1 if none: keeping it needs no headroom. */
  current: number;
}

export const UPGRADE_HEADROOM = 1.15;
/** How far over the budget a forwarded tile may keep its lowest layer. */
export const KEEP_TOLERANCE = 0.25;

/** Height of layer i when no key frame told us yet: each lower layer is half the next. */
const layerHeight = (layers: readonly LayerState[], i: number): number => {
  const known = layers[i]?.height ?? 0;
  if (known > 0) return known;
  const top = layers.length - 1;
  // assume the top layer is 720p until measured
  return Math.round(720 / 2 ** (top - i));
};

/** The highest layer index worth sending for the tile, -1 if none (hidden). */
export const sizeCap = (layers: readonly LayerState[], maxHeight: number): number => {
  if (maxHeight <= 0 || layers.length === 0) return -1;
  for (let i = 0; i < layers.length; i++) {
    if (layerHeight(layers, i) >= maxHeight) return i;
  }
  return layers.length - 1;
};

/** Active layers at or below `cap`, lowest first. */
const usable = (layers: readonly LayerState[], cap: number): number[] => {
  const out: number[] = [];
  for (let i = 0; i <= cap && i < layers.length; i++) if (layers[i]!.active) out.push(i);
  return out;
};

/**
 * One layer per demand (-1 = nothing) within `budgetBps` (Infinity = unknown estimate). The
 * estimate should already exclude audio.
 */
export const allocateLayers = (demands: readonly VideoDemand[], budgetBps: number): number[] => {
  const choice = demands.map(() => -1);
  const options = demands.map((d) => {
    const cap = sizeCap(d.layers, d.maxHeight);
    const within = usable(d.layers, cap);
    if (within.length > 0 || cap < 0) return within;
    // only bigger layers flow (the publisher dropped the small ones): the smallest of them
    const above = usable(d.layers, d.layers.length - 1);
    return above.slice(0, 1);
  });
  let remaining = budgetBps;
  const cost = (d: VideoDemand, layer: number): number => {
    const rate = d.layers[layer]?.bitrate ?? 0;
    return layer <= d.current ? rate : rate * UPGRADE_HEADROOM;
  };
  const order = demands
    .map((d, i) => ({ i, p: d.priority }))
    .sort((a, b) => b.p - a.p)
    .map((x) => x.i);
  // every visible tile gets its lowest flowing layer while it fits, largest tile first
  let granted = 0;
  for (const i of order) {
    const d = demands[i]!;
    const lowest = options[i]![0];
    if (lowest === undefined) {
      // nothing flows within the cap: keep what is forwarded (it may be between key frames)
      choice[i] = d.maxHeight > 0 && d.current >= 0 && d.layers[d.current] ? d.current : -1;
      // (not counted as granted: it shows nothing now, so the largest flowing tile is still due)
      if (choice[i] >= 0) remaining -= d.layers[d.current]!.bitrate;
      continue;
    }
    const rate = d.layers[lowest]!.bitrate;
    const tolerance = d.current >= 0 ? budgetBps * KEEP_TOLERANCE : 0;
    if (granted > 0 && rate > remaining + tolerance) continue; // paused: does not fit
    choice[i] = lowest;
    remaining -= rate;
    granted++;
  }
  // then upgrades, largest tile first, one step at a time so big tiles do not starve the rest
  for (let upgraded = true; upgraded;) {
    upgraded = false;
    for (const i of order) {
      const d = demands[i]!;
      const opts = options[i]!;
      const at = opts.indexOf(choice[i]!);
      const next = at >= 0 ? opts[at + 1] : undefined;
      if (next === undefined) continue;
      const extra = cost(d, next) - d.layers[choice[i]!]!.bitrate;
      if (extra > remaining) continue;
      remaining -= extra;
      choice[i] = next;
      upgraded = true;
    }
  }
  return choice;
};

/** What `choice` costs on the wire (bits/s), at the layers' measured rates. */
export const allocationCost = (
  demands: readonly VideoDemand[],
  choice: readonly number[],
): number => {
  let sum = 0;
  for (const [i, d] of demands.entries()) {
    const c = choice[i]!;
    if (c < 0) continue;
    sum += d.layers[c]?.bitrate ?? 0;
  }
  return sum;
};
