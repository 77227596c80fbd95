import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateLayers, sizeCap, UPGRADE_HEADROOM, type LayerState } from './layer-selection';

const layers = (...spec: [number, number, boolean?][]): LayerState[] =>
  spec.map(([height, bitrate, active]) => ({ height, bitrate, active: active ?? true }));
const camera = () => layers([180, 150_000], [360, 500_000], [720, 1_200_000]);

describe('layer selection by tile size and bandwidth', () => {
  it('a tile gets the smallest layer that covers its height; a hidden tile gets nothing', () => {
    expect(sizeCap(camera(), 120)).toBe(0);
    expect(sizeCap(camera(), 180)).toBe(0);
    expect(sizeCap(camera(), 300)).toBe(1);
    expect(sizeCap(camera(), 1080)).toBe(2);
    expect(sizeCap(camera(), Infinity)).toBe(2);
    expect(sizeCap(camera(), 0)).toBe(-1);
    expect(
      allocateLayers([{ layers: camera(), maxHeight: 0, priority: 0, current: 2 }], Infinity),
    ).toEqual([-1]);
  });

  it('without key frame heights yet, layers are assumed to halve from 720p', () => {
    const unknown = layers([0, 0], [0, 0], [0, 0]);
    expect(sizeCap(unknown, 170)).toBe(0);
    expect(sizeCap(unknown, 300)).toBe(1);
  });

  it('a tight downlink gets the lowest layer rather than nothing; more bandwidth upgrades the biggest tile first', () => {
    const demands = [
      { layers: camera(), maxHeight: 720, priority: 720, current: -1 },
      { layers: camera(), maxHeight: 180, priority: 180, current: -1 },
      { layers: camera(), maxHeight: 360, priority: 360, current: -1 },
    ];
    expect(allocateLayers(demands, 100_000)).toEqual([0, 0, 0]);
    expect(allocateLayers(demands, 450_000 + 500_000 * UPGRADE_HEADROOM - 150_000)).toEqual([
      1, 0, 0,
    ]);
    expect(allocateLayers(demands, 3_000_000)).toEqual([2, 0, 1]);
  });

  it('a layer the publisher stopped sending is skipped', () => {
    const capped = layers([180, 150_000], [360, 500_000], [720, 0, false]);
    expect(
      allocateLayers([{ layers: capped, maxHeight: 720, priority: 1, current: 2 }], Infinity),
    ).toEqual([1]);
  });

  it('keeping the current layer needs no headroom, an upgrade does', () => {
    const d = { layers: camera(), maxHeight: 720, priority: 1 };
    const budget = 1_250_000;
    expect(allocateLayers([{ ...d, current: 2 }], budget)).toEqual([2]);
    expect(allocateLayers([{ ...d, current: 1 }], budget)).toEqual([1]);
  });

  it('property: upgrades fit the budget, and no tile gets more than its size needs while a smaller layer flows', () => {
    const layerArb = fc.record({
      height: fc.integer({ min: 0, max: 1080 }),
      bitrate: fc.integer({ min: 0, max: 3_000_000 }),
      active: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            layers: fc.array(layerArb, { minLength: 1, maxLength: 3 }),
            maxHeight: fc.oneof(fc.constant(Infinity), fc.integer({ min: 0, max: 1440 })),
            priority: fc.nat(),
            current: fc.integer({ min: -1, max: 2 }),
          }),
          { maxLength: 6 },
        ),
        fc.integer({ min: 0, max: 10_000_000 }),
        (demands, budget) => {
          const choice = allocateLayers(demands, budget);
          const minimal = allocateLayers(demands, 0);
          let spent = 0;
          for (const [i, d] of demands.entries()) {
            const c = choice[i]!;
            if (d.maxHeight === 0) expect(c).toBe(-1);
            if (c < 0) continue;
            const cap = sizeCap(d.layers, d.maxHeight);
            const flowsWithinCap = d.layers.some((l, j) => l.active && j <= cap);
            if (c > cap) expect(flowsWithinCap).toBe(false);
            if (!d.layers[c]!.active) expect(c).toBe(d.current); // kept between key frames
            spent += d.layers[c]!.bitrate;
          }
          // beyond each tile's minimum, upgrades only happen within the budget
          if (choice.some((c, i) => c !== minimal[i])) expect(spent).toBeLessThanOrEqual(budget);
        },
      ),
      { numRuns: 500 },
    );
  });
});
