import { describe, expect, it } from 'vitest';
import { LayerDemand, LOWER_AFTER_MS, neededLayers } from './layer-demand';
import type { LayerState } from './layer-selection';

const layers = (active: boolean[]): LayerState[] =>
  [240, 480].map((height, i) => ({ active: active[i]!, bitrate: 100_000 * (i + 1), height }));

describe('layers a simulcast publisher must send (dynacast)', () => {
  it('follows the biggest tile, whether or not that layer flows now', () => {
    expect(neededLayers(layers([true, true]), [200, 216], false)).toBe(1);
    expect(neededLayers(layers([true, true]), [200, 400], false)).toBe(2);
    // the top layer is paused at the publisher: a big tile still wants it back
    expect(neededLayers(layers([true, false]), [400], false)).toBe(2);
    // a tile whose size is not known yet wants the top
    expect(neededLayers(layers([true, true]), [Infinity], false)).toBe(2);
  });

  it('keeps the lowest layer with nobody watching, and everything for a tap (recording)', () => {
    expect(neededLayers(layers([true, true]), [], false)).toBe(1);
    expect(neededLayers(layers([true, true]), [0, 0], false)).toBe(1);
    expect(neededLayers(layers([true, true]), [0], true)).toBe(2);
    expect(neededLayers(layers([true]).slice(0, 1), [400], false)).toBe(1);
  });

  it('raises at once and lowers only after wanting fewer for a while', () => {
    const d = new LayerDemand(2);
    expect(d.update(1, 0)).toBeUndefined();
    expect(d.update(1, LOWER_AFTER_MS - 1)).toBeUndefined();
    expect(d.update(1, LOWER_AFTER_MS)).toBe(1);
    expect(d.announced).toBe(1);
    expect(d.update(2, LOWER_AFTER_MS + 10)).toBe(2);
    // a dip shorter than the hold does not lower
    expect(d.update(1, 10_000)).toBeUndefined();
    expect(d.update(2, 10_500)).toBeUndefined();
    expect(d.update(1, 11_000)).toBeUndefined();
    expect(d.update(1, 11_000 + LOWER_AFTER_MS - 1)).toBeUndefined();
    expect(d.announced).toBe(2);
  });
});
