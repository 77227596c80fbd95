import { afterEach, describe, expect, it } from 'vitest';
import { DownlinkAllocator, PAUSE_AFTER_MS, type AllocatableConsumer } from './downlink-allocator';
import type { LayerState } from './layer-selection';

/** A consumer as the allocator sees it; the forwarder "switches" as soon as it is asked. */
const consumer = (kind: 'audio' | 'video', layers: LayerState[], maxHeight = 480) => {
  const c = {
    closed: false,
    currentLayer: -1,
    targetLayer: -1,
    preference: { maxHeight },
    producer: { kind, layerStates: () => layers },
    /** Whether the last switch was marked urgent (down, for bandwidth). */
    urgent: false,
    setTargetLayer(layer: number, urgent = false) {
      c.targetLayer = layer;
      c.currentLayer = layer;
      c.urgent = urgent;
    },
  };
  return c;
};
const camera = (): LayerState[] => [
  { active: true, bitrate: 100_000, height: 240 },
  { active: true, bitrate: 600_000, height: 480 },
];
const audio = () => consumer('audio', [{ active: true, bitrate: 60_000, height: 0 }]);

describe('DownlinkAllocator: audio first, then video within the estimate', () => {
  const allocators: DownlinkAllocator[] = [];
  afterEach(() => {
    for (const a of allocators.splice(0)) a.close();
  });
  const make = (consumers: AllocatableConsumer[], estimate: () => number | null) => {
    const a = new DownlinkAllocator(() => consumers, estimate);
    allocators.push(a);
    return a;
  };

  it('audio is taken off the estimate; what the tiles want is reported whatever the estimate', () => {
    const big = consumer('video', camera(), 480);
    const small = consumer('video', camera(), 240);
    const a = make([audio(), audio(), big, small], () => 1_000_000);
    a.run(0);
    expect(a.videoBudget).toBe(880_000);
    expect([big.targetLayer, small.targetLayer]).toEqual([1, 0]);
    expect(a.desired).toBe(120_000 + 700_000);
  });

  it(`a forwarded tile that no longer fits keeps its lowest layer for ${PAUSE_AFTER_MS} ms, then is paused; a new one waits`, () => {
    let estimate = 400_000;
    const first = consumer('video', camera(), 480);
    const second = consumer('video', camera(), 360);
    const a = make([audio(), audio(), first, second], () => estimate);
    a.run(0);
    expect([first.targetLayer, second.targetLayer]).toEqual([0, 0]);
    estimate = 220_000; // 100 kbit/s for video: the largest tile keeps its lowest layer
    a.run(500);
    expect([first.targetLayer, second.targetLayer]).toEqual([0, 0]);
    a.run(500 + PAUSE_AFTER_MS - 100);
    expect(second.targetLayer).toBe(0);
    a.run(500 + PAUSE_AFTER_MS);
    expect([first.targetLayer, second.targetLayer]).toEqual([0, -1]);
    // paused: it comes back only when it fits
    a.run(4000);
    expect(second.targetLayer).toBe(-1);
    estimate = 400_000;
    a.run(4500);
    expect(second.targetLayer).toBe(0);
  });

  it('a hidden tile is paused at once', () => {
    const tile = consumer('video', camera(), 480);
    const a = make([tile], () => 2_000_000);
    a.run(0);
    expect(tile.targetLayer).toBe(1);
    tile.preference.maxHeight = 0;
    a.run(500);
    expect(tile.targetLayer).toBe(-1);
  });

  it('a switch down for bandwidth is urgent (the current layer stops); one for a smaller tile is not', () => {
    let estimate = 2_000_000;
    const tile = consumer('video', camera(), 480);
    const a = make([audio(), tile], () => estimate);
    a.run(0);
    expect([tile.targetLayer, tile.urgent]).toEqual([1, false]);
    estimate = 400_000;
    a.run(500);
    expect([tile.targetLayer, tile.urgent]).toEqual([0, true]);
    estimate = 2_000_000;
    a.run(1000);
    expect([tile.targetLayer, tile.urgent]).toEqual([1, false]);
    tile.preference.maxHeight = 240;
    a.run(1500);
    expect([tile.targetLayer, tile.urgent]).toEqual([0, false]);
  });
});
