import { mkdtempSync, rmSync, truncateSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  decodeVideo,
  ffprobe,
  hasFfmpeg,
  vp8TestFrames,
} from '../../../../../test/support/media-tools';
import { Vp8Frames } from './rtp-frames';
import { WebmClusterer, webmHeader } from './webm-writer';

const dir = mkdtempSync(join(tmpdir(), 'webm-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** RFC 7741 §4.2 packetization with a 15-bit PictureID, 300-byte payloads. */
function packetize(frames: { data: Buffer; pts: number }[], fps: number) {
  const packets = [];
  let seq = 65_500; // wraps during the test
  for (const [n, f] of frames.entries()) {
    for (let off = 0; off < f.data.length; off += 300) {
      const desc = Buffer.from([0x80 | (off === 0 ? 0x10 : 0), 0x80, 0x80 | (n >> 8), n & 0xff]);
      packets.push({
        payload: Buffer.concat([desc, f.data.subarray(off, off + 300)]),
        sequenceNumber: seq++ & 0xffff,
        timestamp: (4_294_900_000 + Math.round((f.pts * 90_000) / fps)) >>> 0, // wraps too
        marker: off + 300 >= f.data.length,
      });
    }
  }
  return packets;
}

describe.skipIf(!hasFfmpeg)('live WebM from RTP', () => {
  it('VP8 RTP packets become a WebM that ffmpeg decodes whole, and a cut copy still decodes up to the cut', () => {
    const fps = 15;
    const frames = vp8TestFrames(4, join(dir, 'src.ivf'), fps);
    const parser = new Vp8Frames();
    const clusters = new WebmClusterer();
    const parts: Buffer[] = [];
    // Plus one packet of a next frame, which completes the last one (the parser ends a frame when the next one starts).
    const packets = packetize([...frames, { data: Buffer.alloc(20), pts: frames.length }], fps);
    for (const p of packets)
      for (const f of parser.push(p)) {
        if (parts.length === 0)
          parts.push(
            webmHeader({ kind: 'video', codec: 'V_VP8', width: f.width!, height: f.height! }),
          );
        const c = clusters.add(f.timestampMs, f.keyframe, f.data);
        if (c) parts.push(c);
      }
    parts.push(clusters.flush()!);
    const path = join(dir, 'track.webm');
    writeFileSync(path, Buffer.concat(parts));
    const probe = ffprobe(path);
    expect(probe.streams[0]).toMatchObject({ codec_name: 'vp8', width: 320, height: 240 });
    const whole = decodeVideo(path);
    expect(whole.frames).toBe(frames.length);
    expect(whole.lastSeconds).toBeCloseTo((frames.length - 1) / fps, 1);

    truncateSync(path, Math.floor(statSync(path).size * 0.6));
    const cut = decodeVideo(path);
    expect(cut.frames).toBeGreaterThan(frames.length * 0.3);
    expect(cut.frames).toBeLessThan(frames.length);
  });

  it('a lost packet drops frames until the next keyframe and asks for one', () => {
    const frames = vp8TestFrames(2, join(dir, 'src2.ivf'));
    const packets = packetize(frames, 15);
    const parser = new Vp8Frames();
    let asked = 0;
    parser.onKeyframeNeeded = () => asked++;
    const out = [];
    for (const [i, p] of packets.entries()) if (i !== 40) out.push(...parser.push(p));
    expect(asked).toBeGreaterThan(0);
    expect(out.length).toBeLessThan(frames.length - 1);
    expect(out[0]!.keyframe).toBe(true);
    // Every frame after a gap starts from a keyframe: the second keyframe resumes the stream.
    expect(out.filter((f) => f.keyframe).length).toBe(2);
  });
});
