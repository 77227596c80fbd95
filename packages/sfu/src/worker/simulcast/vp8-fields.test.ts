import { describe, expect, it } from 'vitest';
import { emptyVp8Fields, readVp8Fields, writeVp8Fields } from './vp8-fields';

// A Chromium-style descriptor: X, S, PID 0; I (15-bit PictureID), L (TL0PICIDX), T (TID)
// then a VP8 key frame header: tag (P = 0), start code 9d 01 2a, 640 x 360.
const keyframe = () =>
  Buffer.from([
    0x90,
    0xe0,
    0x80 | 0x12,
    0x34,
    0x07,
    0x40,
    0x50,
    0x2d,
    0x01,
    0x9d,
    0x01,
    0x2a,
    0x80,
    0x02,
    0x68,
    0x01,
    0xaa,
  ]);

describe('VP8 fields for forwarding (RFC 7741 §4.2-4.3)', () => {
  it('reads PictureID, TL0PICIDX, TID, the key frame flag and the key frame size', () => {
    const f = emptyVp8Fields();
    expect(readVp8Fields(keyframe(), f)).toBe(true);
    expect(f).toMatchObject({
      frameStart: true,
      keyframe: true,
      pictureIdBits: 15,
      pictureId: 0x1234,
      tl0PicIdx: 7,
      temporalId: 1,
      width: 640,
      height: 360,
    });
  });

  it('a delta frame and a continuation packet are not switch points', () => {
    const f = emptyVp8Fields();
    readVp8Fields(Buffer.from([0x90, 0x80, 0x05, 0x01, 0x00, 0x00]), f); // P = 1
    expect(f).toMatchObject({ frameStart: true, keyframe: false, pictureIdBits: 7, pictureId: 5 });
    readVp8Fields(Buffer.from([0x80, 0x80, 0x05, 0x00]), f); // S = 0
    expect(f).toMatchObject({ frameStart: false, keyframe: false });
  });

  it('a truncated descriptor is invalid', () => {
    const f = emptyVp8Fields();
    expect(readVp8Fields(Buffer.from([0x90, 0x80, 0x81]), f)).toBe(false);
    expect(readVp8Fields(Buffer.from([]), f)).toBe(false);
  });

  it('rewrites PictureID and TL0PICIDX in place at the same width', () => {
    const p = keyframe();
    const f = emptyVp8Fields();
    readVp8Fields(p, f);
    writeVp8Fields(p, f, 0x7ffe, 300);
    const g = emptyVp8Fields();
    readVp8Fields(p, g);
    expect(g).toMatchObject({
      pictureId: 0x7ffe,
      tl0PicIdx: 300 & 0xff,
      keyframe: true,
      width: 640,
    });
    expect(p.length).toBe(keyframe().length);
  });
});
