import type { TileSize } from '@conclave/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TileSizeReporter } from './tile-sizes';

const track = (id: string) => ({ id }) as unknown as MediaStreamTrack;

describe('TileSizeReporter', () => {
  afterEach(() => vi.useRealTimers());

  it('batches reports, sends only changes, hides with 0x0 and resends all after a new offer', async () => {
    vi.useFakeTimers();
    const sent: TileSize[][] = [];
    const a = track('a');
    const b = track('b');
    const local = track('local');
    const mids = new Map([
      [a, '1'],
      [b, '3'],
    ]);
    const r = new TileSizeReporter({
      send: (tiles) => (sent.push(tiles), Promise.resolve()),
      midOf: (t) => mids.get(t),
    });
    r.report(a, { width: 639, height: 359 });
    r.report(b, { width: 100, height: 50 });
    r.report(a, { width: 640, height: 360 });
    r.report(local, { width: 100, height: 100 }); // not a remote track: never sent
    await vi.advanceTimersByTimeAsync(300);
    expect(sent).toEqual([
      [
        { mid: '1', width: 640, height: 368 },
        { mid: '3', width: 112, height: 64 },
      ],
    ]);
    r.report(a, { width: 638, height: 353 }); // same after rounding: nothing to send
    r.report(b, null);
    await vi.advanceTimersByTimeAsync(300);
    expect(sent[1]).toEqual([{ mid: '3', width: 0, height: 0 }]);
    mids.set(a, '0'); // a renegotiation moved the stream
    r.remapped();
    await vi.advanceTimersByTimeAsync(300);
    expect(sent[2]).toEqual([
      { mid: '0', width: 640, height: 368 },
      { mid: '3', width: 0, height: 0 },
    ]);
    r.close();
  });
});
