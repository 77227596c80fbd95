import { afterEach, describe, expect, it, vi } from 'vitest';
import { OpusPcmDecoder } from './opus-pcm-decoder';

/** TOC 0xF8: CELT fullband 20 ms mono, one frame of zero bytes (decoded as 20 ms of silence). */
const SILENT_20MS = new Uint8Array([0xf8]);
const decoders: OpusPcmDecoder[] = [];
const make = async () => {
  const d = new OpusPcmDecoder();
  await d.ready;
  decoders.push(d);
  return d;
};
afterEach(() => {
  for (const d of decoders.splice(0)) d.free();
  vi.restoreAllMocks();
});

describe('OpusPcmDecoder', () => {
  it('turns each 20 ms Opus packet into 320 samples of 16 kHz PCM', async () => {
    const d = await make();
    expect(d.decode(SILENT_20MS, 100)).toHaveLength(320);
    expect(d.decode(SILENT_20MS, 101)).toHaveLength(320);
  });

  it('fills a short gap of lost packets with silence so timing holds, but not a long one', async () => {
    const d = await make();
    d.decode(SILENT_20MS, 65534);
    // 65535 and 0 were lost (sequence numbers wrap)
    expect(d.decode(SILENT_20MS, 1)).toHaveLength(3 * 320);
    expect(d.decode(SILENT_20MS, 500)).toHaveLength(320);
  });

  it('drops late and duplicate packets', async () => {
    const d = await make();
    d.decode(SILENT_20MS, 10);
    expect(d.decode(SILENT_20MS, 10)).toHaveLength(0);
    expect(d.decode(SILENT_20MS, 9)).toHaveLength(0);
  });

  it('gives up on a stream that is not Opus instead of logging forever', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const d = await make();
    for (let seq = 0; seq < 100; seq++) d.decode(new Uint8Array([0x03]), seq);
    expect(d.failed).toBe(true);
    expect(errors.mock.calls.length).toBeLessThanOrEqual(25);
  });
});
