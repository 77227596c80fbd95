import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seqDiff } from '../rtp-sequence';
import { StreamRewriter, type RewrittenFields, type SourcePacket } from './stream-rewriter';

const out = (): RewrittenFields => ({
  sequenceNumber: 0,
  timestamp: 0,
  pictureId: 0,
  tl0PicIdx: 0,
});

/** One simulcast layer of a synthetic VP8 publisher: frames of `perFrame` packets at 30 fps. */
class Layer {
  seq: number;
  ts: number;
  pic: number;
  tl0: number;
  #inFrame = 0;
  constructor(
    readonly source: number,
    seed: number,
    readonly perFrame: number,
  ) {
    this.seq = (seed * 7919) & 0xffff;
    this.ts = (seed * 104729) >>> 0;
    this.pic = (seed * 31) & 0x7fff;
    this.tl0 = seed & 0xff;
  }
  next(keyframe: boolean): SourcePacket {
    const start = this.#inFrame === 0;
    const p: SourcePacket = {
      source: this.source,
      sequenceNumber: this.seq,
      timestamp: this.ts,
      switchPoint: start && keyframe,
      pictureId: this.pic,
      tl0PicIdx: this.tl0,
    };
    this.seq = (this.seq + 1) & 0xffff;
    this.#inFrame++;
    if (this.#inFrame === this.perFrame) {
      this.#inFrame = 0;
      this.ts = (this.ts + 3000) >>> 0;
      this.pic = (this.pic + 1) & 0x7fff;
      this.tl0 = (this.tl0 + 1) & 0xff;
    }
    return p;
  }
}

describe('StreamRewriter: one continuous stream out of several sources (RFC 3550 §5.1, RFC 7741 §4.2)', () => {
  it('starts only at a key frame and maps the first source one to one', () => {
    const r = new StreamRewriter(90000);
    const o = out();
    const base = { source: 0, timestamp: 1000, pictureId: 5, tl0PicIdx: 1 };
    expect(r.rewrite({ ...base, sequenceNumber: 10, switchPoint: false }, 0, 0, o)).toBe(false);
    expect(r.rewrite({ ...base, sequenceNumber: 11, switchPoint: true }, 0, 0, o)).toBe(true);
    expect(o).toEqual({ sequenceNumber: 11, timestamp: 1000, pictureId: 5, tl0PicIdx: 1 });
  });

  it('a switch to a layer continues sequence, picture id and TL0PICIDX by one, and time by the wall clock', () => {
    const r = new StreamRewriter(90000);
    const o = out();
    r.rewrite(
      {
        source: 0,
        sequenceNumber: 65535,
        timestamp: 4294967000,
        switchPoint: true,
        pictureId: 32767,
        tl0PicIdx: 255,
      },
      0,
      1000,
      o,
    );
    // the high layer's delta frame is not a switch point: the low layer goes on
    expect(
      r.rewrite(
        {
          source: 1,
          sequenceNumber: 500,
          timestamp: 77,
          switchPoint: false,
          pictureId: 9,
          tl0PicIdx: 3,
        },
        1,
        1010,
        o,
      ),
    ).toBe(false);
    expect(
      r.rewrite(
        {
          source: 1,
          sequenceNumber: 501,
          timestamp: 3077,
          switchPoint: true,
          pictureId: 10,
          tl0PicIdx: 4,
        },
        1,
        1020,
        o,
      ),
    ).toBe(true);
    expect(o).toEqual({
      sequenceNumber: 0,
      timestamp: (4294967000 + 20 * 90) >>> 0,
      pictureId: 0,
      tl0PicIdx: 0,
    });
    expect(r.source).toBe(1);
    // packets of the old layer are dropped after the switch
    expect(
      r.rewrite(
        {
          source: 0,
          sequenceNumber: 0,
          timestamp: 1,
          switchPoint: false,
          pictureId: 0,
          tl0PicIdx: 0,
        },
        1,
        1030,
        o,
      ),
    ).toBe(false);
    // a late packet of the new layer from before its key frame would collide: dropped
    expect(
      r.rewrite(
        {
          source: 1,
          sequenceNumber: 499,
          timestamp: 1,
          switchPoint: false,
          pictureId: 8,
          tl0PicIdx: 2,
        },
        1,
        1030,
        o,
      ),
    ).toBe(false);
  });

  it('after a pause the same source resumes without a sequence gap, keeping its own clock', () => {
    const r = new StreamRewriter(48000);
    const o = out();
    const audio = (seq: number, ts: number): SourcePacket => ({
      source: 0,
      sequenceNumber: seq,
      timestamp: ts,
      switchPoint: true,
      pictureId: -1,
      tl0PicIdx: -1,
    });
    r.rewrite(audio(100, 960), 0, 0, o);
    r.resync();
    expect(r.rewrite(audio(400, 960 * 301), 0, 6000, o)).toBe(true);
    expect(o.sequenceNumber).toBe(101);
    expect(o.timestamp).toBe(960 * 301);
    expect(o.pictureId).toBe(-1);
  });

  it('property: whatever the layers and switch decisions, the output is one gap-free stream', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 0xffff }), { minLength: 3, maxLength: 3 }),
        fc.array(
          fc.record({
            wanted: fc.integer({ min: 0, max: 2 }),
            frames: fc.integer({ min: 1, max: 12 }),
            keyEvery: fc.integer({ min: 1, max: 6 }),
          }),
          { minLength: 1, maxLength: 12 },
        ),
        (seeds, plan) => {
          const layers = seeds.map((seed, i) => new Layer(i, seed, i + 1));
          const r = new StreamRewriter(90000);
          const o = out();
          let now = 0;
          let last: RewrittenFields | undefined;
          let lastSource = -1;
          let frame = 0;
          for (const step of plan) {
            for (let f = 0; f < step.frames; f++, frame++) {
              now += 33;
              const key = frame % step.keyEvery === 0;
              for (const layer of layers) {
                for (let k = 0; k < layer.perFrame; k++) {
                  const p = layer.next(key);
                  if (!r.rewrite(p, step.wanted, now, o)) continue;
                  if (p.source !== lastSource) {
                    // switches only at key frames, only to the wanted layer
                    expect(p.switchPoint).toBe(true);
                    expect(p.source).toBe(step.wanted);
                  }
                  if (last) {
                    expect(seqDiff(o.sequenceNumber, last.sequenceNumber)).toBe(1);
                    const dts = (o.timestamp - last.timestamp) >>> 0;
                    expect(dts).toBeLessThan(0x80000000); // never backwards
                    const dpic = (o.pictureId - last.pictureId) & 0x7fff;
                    expect(dpic === 0 || dpic === 1).toBe(true);
                    if (dpic === 0) expect(dts).toBe(0); // same frame, same timestamp
                    const dtl0 = (o.tl0PicIdx - last.tl0PicIdx) & 0xff;
                    expect(dtl0 === 0 || dtl0 === 1).toBe(true);
                  }
                  last = { ...o };
                  lastSource = p.source;
                }
              }
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('padding inserted between frames takes the next sequence numbers and the last timestamp; the stream stays gap-free', () => {
    const r = new StreamRewriter(90000);
    const o = out();
    expect(r.insert(o)).toBe(false); // nothing forwarded yet
    fc.assert(
      fc.property(
        fc.array(fc.record({ wanted: fc.nat(1), pads: fc.nat(3) }), {
          minLength: 1,
          maxLength: 60,
        }),
        fc.nat(0xffff),
        (plan, seed) => {
          const layers = [new Layer(0, seed, 1), new Layer(1, seed + 1, 3)];
          const rw = new StreamRewriter(90000);
          const fields = out();
          let last: RewrittenFields | undefined;
          let now = 0;
          for (const [frame, step] of plan.entries()) {
            now += 33;
            for (const layer of layers) {
              for (let k = 0; k < layer.perFrame; k++) {
                if (!rw.rewrite(layer.next(frame % 4 === 0), step.wanted, now, fields)) continue;
                if (last) expect(seqDiff(fields.sequenceNumber, last.sequenceNumber)).toBe(1);
                last = { ...fields };
              }
            }
            for (let k = 0; k < step.pads && last; k++) {
              expect(rw.insert(fields)).toBe(true);
              expect(seqDiff(fields.sequenceNumber, last.sequenceNumber)).toBe(1);
              expect(fields.timestamp).toBe(last.timestamp);
              last = { ...last, sequenceNumber: fields.sequenceNumber };
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
