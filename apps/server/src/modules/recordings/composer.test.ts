import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ffprobe,
  grabFrame,
  hasFfmpeg,
  meanVolumeDb,
  regionStats,
} from '../../../../../test/support/media-tools';
import { layoutFor } from './compose-layout';
import { compose } from './composer';

const dir = mkdtempSync(join(tmpdir(), 'compose-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A WebM like the recorder writes (VP8 or Opus), from an ffmpeg test source. */
function source(name: string, lavfi: string, seconds: number, audio = false): string {
  const path = join(dir, `${name}.webm`);
  execFileSync('ffmpeg', [
    ...[
      '-hide_banner',
      '-loglevel',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      lavfi,
      '-t',
      String(seconds),
    ],
    ...(audio
      ? ['-c:a', 'libopus']
      : ['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-s', '320x240']),
    path,
  ]);
  return path;
}

describe.skipIf(!hasFfmpeg)('composition with ffmpeg', () => {
  it('a shared screen is large on the left, people in a column, late tracks start at their offset, names cannot inject filters', async () => {
    const screen = source('screen', 'testsrc2=size=640x480:rate=15', 3);
    const cam = source('cam', 'smptebars=size=320x240:rate=15', 4);
    const late = source('late', 'testsrc=size=320x240:rate=15', 2);
    const tone = source('tone', 'sine=frequency=440:sample_rate=48000', 4, true);
    const videoOut = join(dir, 'out.webm');
    const audioOut = join(dir, 'out-audio.webm');
    let progress = 0;
    await compose({
      tracks: [
        {
          path: cam,
          kind: 'video',
          source: 'camera',
          personKey: 'a',
          personName: "Ann'; [x]drawbox",
          offsetMs: 0,
        },
        {
          path: tone,
          kind: 'audio',
          source: 'microphone',
          personKey: 'a',
          personName: 'Ann',
          offsetMs: 0,
        },
        {
          path: screen,
          kind: 'video',
          source: 'screen',
          personKey: 'a',
          personName: 'Ann',
          offsetMs: 500,
        },
        {
          path: late,
          kind: 'video',
          source: 'camera',
          personKey: 'b',
          personName: 'Ben',
          offsetMs: 2500,
        },
      ],
      durationMs: 5000,
      workDir: dir,
      videoOut,
      audioOut,
      onProgress: (f) => (progress = f),
    });
    expect(progress).toBeGreaterThan(0.5);
    const probe = ffprobe(videoOut);
    expect(Math.abs(probe.duration - 5)).toBeLessThan(0.3);
    expect(probe.streams.find((s) => s.codec_type === 'video')).toMatchObject({
      width: 1280,
      height: 720,
    });

    const layout = layoutFor(2, true);
    const at1 = grabFrame(videoOut, 1, 1280, 720);
    expect(regionStats(at1, 1280, layout.screen!).variance).toBeGreaterThan(100);
    const ann = layout.tiles[0]!;
    const ben = layout.tiles[1]!;
    const top = (r: typeof ann) => ({
      x: r.x + 4,
      y: r.y + 4,
      w: r.w - 8,
      h: Math.floor(r.h * 0.5),
    });
    expect(regionStats(at1, 1280, top(ann)).variance).toBeGreaterThan(100);
    // Ben's camera starts at 2.5 s: dark before, video after.
    expect(regionStats(at1, 1280, top(ben)).variance).toBeLessThan(5);
    const at3 = grabFrame(videoOut, 3.2, 1280, 720);
    expect(regionStats(at3, 1280, top(ben)).variance).toBeGreaterThan(100);

    expect(ffprobe(audioOut).streams.map((s) => s.codec_type)).toEqual(['audio']);
    expect(meanVolumeDb(audioOut)).toBeGreaterThan(-30);
  });
});
