import { describe, expect, it } from 'vitest';
import { isVp8FrameStart, parseVp8Descriptor, vp8KeyframeBit } from './vp8';

const bytes = (...b: number[]): Buffer => Buffer.from(b);

describe('VP8 payload descriptor (RFC 7741 §4.2)', () => {
  it('parses the one-byte form: S, N and PID', () => {
    expect(parseVp8Descriptor(bytes(0x10, 0xaa))).toEqual({
      length: 1,
      startOfPartition: true,
      partitionId: 0,
      nonReference: false,
      pictureId: undefined,
    });
    const d = parseVp8Descriptor(bytes(0x23, 0xaa))!; // N = 1, S = 0, PID = 3
    expect(d).toMatchObject({
      length: 1,
      startOfPartition: false,
      partitionId: 3,
      nonReference: true,
    });
    expect(isVp8FrameStart(d)).toBe(false);
    expect(isVp8FrameStart(parseVp8Descriptor(bytes(0x11))!)).toBe(false); // S = 1, PID = 1
    expect(isVp8FrameStart(parseVp8Descriptor(bytes(0x10))!)).toBe(true);
  });

  it('skips the optional I (7/15-bit PictureID), L and T/K octets', () => {
    // X, I with M = 0: 7-bit PictureID
    expect(parseVp8Descriptor(bytes(0x90, 0x80, 0x2a, 0xff))).toMatchObject({
      length: 3,
      pictureId: 0x2a,
    });
    // X, I with M = 1: 15-bit PictureID
    expect(parseVp8Descriptor(bytes(0x90, 0x80, 0x81, 0x23, 0xff))).toMatchObject({
      length: 4,
      pictureId: 0x0123,
    });
    // X with L only, T only, K only, T and K (one shared octet)
    expect(parseVp8Descriptor(bytes(0x90, 0x40, 0x07, 0xff))?.length).toBe(3);
    expect(parseVp8Descriptor(bytes(0x90, 0x20, 0x40, 0xff))?.length).toBe(3);
    expect(parseVp8Descriptor(bytes(0x90, 0x10, 0x05, 0xff))?.length).toBe(3);
    expect(parseVp8Descriptor(bytes(0x90, 0x30, 0x45, 0xff))?.length).toBe(3);
    // everything: X, I (M = 1), L, T/K: 1 + 1 + 2 + 1 + 1
    const all = parseVp8Descriptor(bytes(0x90, 0xf0, 0xff, 0xff, 0x07, 0x45, 0x10));
    expect(all).toMatchObject({ length: 6, pictureId: 0x7fff, startOfPartition: true });
    // X with no optional fields
    expect(parseVp8Descriptor(bytes(0x80, 0x00, 0xff))?.length).toBe(2);
  });

  it('rejects truncated descriptors', () => {
    expect(parseVp8Descriptor(bytes())).toBeUndefined();
    expect(parseVp8Descriptor(bytes(0x90))).toBeUndefined();
    expect(parseVp8Descriptor(bytes(0x90, 0x80))).toBeUndefined();
    expect(parseVp8Descriptor(bytes(0x90, 0x80, 0x81))).toBeUndefined();
    expect(parseVp8Descriptor(bytes(0x90, 0x70, 0x01))).toBeUndefined();
  });

  it('reads the P bit of the VP8 payload header (§4.3): 0 is a key frame', () => {
    expect(vp8KeyframeBit(bytes(0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a))).toBe(true);
    expect(vp8KeyframeBit(bytes(0x11, 0x02, 0x00))).toBe(false);
    expect(vp8KeyframeBit(bytes())).toBe(false);
  });
});
