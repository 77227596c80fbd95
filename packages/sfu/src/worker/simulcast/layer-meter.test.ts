import { RtpHeader, RtpPacket } from 'werift';
import { describe, expect, it } from 'vitest';
import { LayerForwarder } from './layer-forwarder';
import { LayerMeter, PACKET_OVERHEAD_BYTES } from './layer-meter';
import { emptyVp8Fields } from './vp8-fields';

describe('LayerMeter: what a layer costs, and whether it flows', () => {
  it('padding-only packets (a browser probing its uplink on a paused layer) do not keep a layer alive', () => {
    const m = new LayerMeter();
    m.add(1000, 1000);
    expect(m.active(1500)).toBe(true);
    for (let t = 1100; t <= 3000; t += 50) m.add(0, t);
    expect(m.active(3000)).toBe(false);
  });

  it('the wire rate adds the per-packet overhead to the payload rate', () => {
    const m = new LayerMeter();
    for (let t = 0; t < 1000; t += 10) m.add(100, 1 + t); // 100 packets of 100 bytes in 1 s
    const payload = 100 * 100 * 8;
    expect(m.bitrate(1000)).toBeCloseTo(payload, -3);
    expect(m.wireBitrate(1000) - m.bitrate(1000)).toBeCloseTo(100 * PACKET_OVERHEAD_BYTES * 8, -3);
  });
});

describe('LayerForwarder: padding between frames', () => {
  const vp8 = Object.assign(emptyVp8Fields(), { valid: true, keyframe: true });
  const packet = (seq: number, marker: boolean) =>
    new RtpPacket(
      new RtpHeader({ sequenceNumber: seq, timestamp: 9000, marker }),
      Buffer.alloc(50),
    );

  it('only after a frame ended; it takes the next sequence number and the frame timestamp', () => {
    const f = new LayerForwarder('video');
    expect(f.padding(100)).toBeUndefined(); // nothing forwarded yet
    const first = f.forward(0, packet(10, false), vp8, 0, 0)!;
    expect(f.padding(100)).toBeUndefined(); // inside a frame
    const last = f.forward(0, packet(11, true), { ...vp8, keyframe: false }, 0, 0)!;
    const pad = f.padding(300)!;
    expect(pad.header.padding).toBe(true);
    expect(pad.payload.length).toBe(255); // RFC 3550 §5.1: one octet counts the padding
    expect(pad.payload[254]).toBe(255);
    expect(pad.header.sequenceNumber).toBe(last.header.sequenceNumber + 1);
    expect(pad.header.timestamp).toBe(first.header.timestamp);
    const next = f.forward(0, packet(12, true), { ...vp8, keyframe: false }, 0, 0)!;
    expect(next.header.sequenceNumber).toBe(pad.header.sequenceNumber + 1);
  });

  it('audio gets no padding', () => {
    const f = new LayerForwarder('audio');
    f.forward(0, packet(1, true), undefined, 0, 0);
    expect(f.padding(100)).toBeUndefined();
  });
});
