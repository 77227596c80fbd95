import { RtpHeader, RtpPacket } from 'werift';
import { describe, expect, it } from 'vitest';
import { LayerForwarder } from './layer-forwarder';
import { emptyVp8Fields, type Vp8Fields } from './vp8-fields';

/** One simulcast layer's packets: frames of `perFrame` packets, the last with the RTP marker. */
const layer = (perFrame: number, firstSeq: number) => {
  let seq = firstSeq;
  let ts = 1000;
  return {
    /** The packets of the next frame (a key frame if asked). */
    frame(keyframe = false): { rtp: RtpPacket; vp8: Vp8Fields }[] {
      ts += 3750; // 24 fps at 90 kHz
      return Array.from({ length: perFrame }, (_, i) => {
        const header = new RtpHeader({
          sequenceNumber: seq++ & 0xffff,
          timestamp: ts,
          marker: i === perFrame - 1,
        });
        const vp8 = { ...emptyVp8Fields(), valid: true, frameStart: i === 0 };
        vp8.keyframe = keyframe && i === 0;
        return { rtp: new RtpPacket(header, Buffer.from([0x10, i])), vp8 };
      });
    },
  };
};

describe('LayerForwarder: a switch down for bandwidth stops the current layer at its next frame', () => {
  /** Sequence numbers the receiver gets for `packets` of layer `l`, wanting `wanted`. */
  const send = (
    f: LayerForwarder,
    l: number,
    packets: { rtp: RtpPacket; vp8: Vp8Fields }[],
    wanted: number,
  ): number[] => {
    const out: number[] = [];
    for (const p of packets) {
      if (f.rewrite(l, p.rtp, p.vp8, wanted, 0)) out.push(f.fields.sequenceNumber);
    }
    return out;
  };

  it('finishes the frame under way, sends nothing more of it, and continues gap-free at the key frame', () => {
    const high = layer(3, 5000);
    const low = layer(2, 200);
    const f = new LayerForwarder('video');
    const first = send(f, 1, high.frame(true), 1);
    expect(first).toHaveLength(3);
    const half = high.frame();
    expect(send(f, 1, half.slice(0, 1), 1)).toHaveLength(1);
    f.stopCurrentLayer(); // the allocation switched to layer 0 for bandwidth
    // the frame under way is finished: a receiver never gets half a frame
    expect(send(f, 1, half.slice(1), 0)).toHaveLength(2);
    // the next frames of the high layer are held back, the low layer waits for its key frame
    expect(send(f, 1, high.frame(), 0)).toEqual([]);
    expect(send(f, 0, low.frame(), 0)).toEqual([]);
    expect(send(f, 1, high.frame(), 0)).toEqual([]);
    const key = send(f, 0, low.frame(true), 0);
    // no sequence gap: the receiver does not ask for packets that never existed
    expect(key).toEqual([5006, 5007]);
    expect(f.layer).toBe(0);
    expect(f.stopping).toBe(false);
  });

  it('without it, the current layer runs on until the key frame (a smaller tile, no congestion)', () => {
    const high = layer(3, 5000);
    const low = layer(2, 200);
    const f = new LayerForwarder('video');
    send(f, 1, high.frame(true), 1);
    expect(send(f, 1, high.frame(), 0)).toHaveLength(3);
    expect(send(f, 0, low.frame(true), 0)).toEqual([5006, 5007]);
  });

  it('when the current layer is wanted again, it resumes at its next key frame, gap-free', () => {
    const high = layer(3, 5000);
    const f = new LayerForwarder('video');
    send(f, 1, high.frame(true), 1);
    f.stopCurrentLayer();
    expect(send(f, 1, high.frame(), 0)).toEqual([]);
    // the held frame is gone: the next delta frame would not decode, so a key frame is needed
    expect(f.resumeCurrentLayer()).toBe(true);
    expect(send(f, 1, high.frame(), 1)).toEqual([]);
    expect(send(f, 1, high.frame(true), 1)).toEqual([5003, 5004, 5005]);
  });

  it('wanted again before any frame was held, it just goes on', () => {
    const high = layer(3, 5000);
    const f = new LayerForwarder('video');
    send(f, 1, high.frame(true), 1);
    f.stopCurrentLayer();
    expect(f.resumeCurrentLayer()).toBe(false);
    expect(send(f, 1, high.frame(), 1)).toEqual([5003, 5004, 5005]);
  });
});
