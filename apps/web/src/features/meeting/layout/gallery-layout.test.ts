import { describe, expect, it } from 'vitest';
import { fitGrid, orderTiles, pageOf, tilesPerPage } from './gallery-layout';

describe('gallery layout', () => {
  it('three people at 1280x700 get landscape 16:9 tiles side by side, not portrait strips', () => {
    const g = fitGrid(1280, 700, 3);
    expect(g.cols).toBe(2);
    expect(g.tileWidth / g.tileHeight).toBeCloseTo(16 / 9, 1);
    expect(g.tileWidth).toBeGreaterThan(600);
  });

  it('tiles never overflow the area', () => {
    for (const [w, h] of [
      [1280, 700],
      [1920, 980],
      [390, 700],
    ] as const)
      for (let n = 1; n <= 16; n++) {
        const g = fitGrid(w, h, n);
        expect(g.cols * g.tileWidth + (g.cols - 1) * 8).toBeLessThanOrEqual(w);
        expect(g.rows * g.tileHeight + (g.rows - 1) * 8).toBeLessThanOrEqual(h);
        expect(g.cols * g.rows).toBeGreaterThanOrEqual(n);
      }
  });

  it('pages when tiles would get smaller than the minimum', () => {
    expect(tilesPerPage(1280, 700, 9, 200, 16)).toBe(9);
    expect(tilesPerPage(390, 600, 9, 160, 6)).toBeLessThanOrEqual(6);
    expect(tilesPerPage(1280, 700, 40, 200, 16)).toBe(16);
    expect(pageOf([1, 2, 3, 4, 5], 2, 2)).toEqual([5]);
    expect(pageOf([1, 2, 3], 2, 9)).toEqual([3]);
  });

  it('puts the pinned person first, then recent speakers, then join order', () => {
    const spoke = new Map([
      ['c', 200],
      ['d', 100],
    ]);
    expect(orderTiles(['a', 'b', 'c', 'd'], spoke)).toEqual(['c', 'd', 'a', 'b']);
    expect(orderTiles(['a', 'b', 'c', 'd'], spoke, 'b')).toEqual(['b', 'c', 'd', 'a']);
  });
});
