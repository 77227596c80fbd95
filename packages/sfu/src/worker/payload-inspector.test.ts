import { describe, expect, it } from 'vitest';
import { PAYLOAD_SAMPLES_MAX, PayloadInspector } from './payload-inspector';

const keyframe = (n: number): Buffer =>
  Buffer.concat([
    Buffer.from([0x90, 0x80, 0x80 | (n >> 8), n & 0xff]), // X S PID=0 | I | M + PictureID
    Buffer.from([0x10, 0x20, 0x00, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0xe0, 0x01]), // P = 0, start code
    Buffer.alloc(100, n & 0xff),
  ]);

describe('PayloadInspector', () => {
  it('records VP8 frame starts only, with the payload after the descriptor', () => {
    const inspector = new PayloadInspector('video');
    inspector.record(keyframe(7));
    inspector.record(Buffer.from([0x80, 0x80, 0x80, 0x07, 0x01, 0x02])); // S = 0: continuation
    inspector.record(Buffer.from([0x11, 0x10, 0x00, 0x00])); // S = 1, PID = 1: not a frame start
    inspector.record(Buffer.from([0x10])); // frame start without a payload header
    inspector.record(Buffer.from([0x10, 0x31, 0x00, 0x00, 0xee])); // delta frame: P = 1
    const samples = inspector.samples();
    expect(samples).toHaveLength(2);
    const vp8 = keyframe(7).subarray(4);
    expect(samples[0]).toEqual({
      kind: 'video',
      frameStart: true,
      payloadHead: vp8.subarray(0, 48).toString('base64'),
      keyframeBit: true,
      payloadLength: vp8.length,
    });
    expect(samples[1]).toMatchObject({ keyframeBit: false, payloadLength: 4 });
  });

  it('keeps the most recent 64 samples, oldest first', () => {
    const inspector = new PayloadInspector('audio');
    for (let i = 0; i < 200; i++) {
      inspector.record(Buffer.from([0x78, i]));
      expect(inspector.samples().length).toBe(Math.min(i + 1, PAYLOAD_SAMPLES_MAX));
    }
    const seen = inspector.samples().map((s) => Buffer.from(s.payloadHead, 'base64')[1]);
    expect(seen).toEqual(Array.from({ length: 64 }, (_, k) => 136 + k));
    expect(inspector.samples()[0]).toEqual({
      kind: 'audio',
      payloadHead: 'eIg=',
      payloadLength: 2,
    });
  });
});
