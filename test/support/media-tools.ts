import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

// ffmpeg / ffprobe helpers for recording tests (Debian's ffmpeg; `.ci/run` installs it).

export const hasFfmpeg = spawnSync('ffmpeg', ['-version']).status === 0;

/** VP8 frames of a test pattern, encoded by ffmpeg into IVF and split (IVF: 32-byte header, 12-byte frame headers). */
export function vp8TestFrames(
  seconds: number,
  path: string,
  fps = 15,
): { data: Buffer; pts: number }[] {
  execFileSync('ffmpeg', [
    '-hide_banner',
    '-loglevel',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `testsrc=size=320x240:rate=${fps}`,
    '-t',
    String(seconds),
    '-c:v',
    'libvpx',
    '-deadline',
    'realtime',
    '-cpu-used',
    '8',
    '-g',
    String(fps),
    '-f',
    'ivf',
    path,
  ]);
  const ivf = readFileSync(path);
  const frames: { data: Buffer; pts: number }[] = [];
  for (let off = ivf.readUInt16LE(6); off + 12 <= ivf.length;) {
    const size = ivf.readUInt32LE(off);
    const pts = Number(ivf.readBigUInt64LE(off + 4));
    frames.push({ data: ivf.subarray(off + 12, off + 12 + size), pts });
    off += 12 + size;
  }
  return frames;
}

export interface Probe {
  duration: number;
  streams: { codec_type: string; codec_name: string; width?: number; height?: number }[];
}

export function ffprobe(path: string): Probe {
  const out = execFileSync('ffprobe', [
    '-v',
    'error',
    '-show_entries',
    'format=duration:stream=codec_type,codec_name,width,height',
    '-of',
    'json',
    path,
  ]).toString();
  const j = JSON.parse(out) as { format: { duration?: string }; streams: Probe['streams'] };
  return { duration: Number(j.format.duration ?? NaN), streams: j.streams };
}

/** Decodes every frame (ffmpeg exits non-zero on a broken file); returns the video frame count and last timestamp. */
export function decodeVideo(path: string): { frames: number; lastSeconds: number } {
  const out = execFileSync('ffprobe', [
    '-v',
    'error',
    '-select_streams',
    'v:0',
    '-show_entries',
    'frame=pts_time',
    '-of',
    'csv=p=0',
    path,
  ]).toString();
  const times = out
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => Number(l.trim()))
    .filter((n) => Number.isFinite(n) && n >= 0);
  return { frames: times.length, lastSeconds: times.length ? Math.max(...times) : 0 };
}

/** One RGB frame at `seconds`, as raw bytes, with its size. */
export function grabFrame(path: string, seconds: number, w: number, h: number): Buffer {
  return execFileSync(
    'ffmpeg',
    [
      '-hide_banner',
      '-loglevel',
      'error',
      '-ss',
      String(seconds),
      '-i',
      path,
      '-frames:v',
      '1',
      '-vf',
      `scale=${w}:${h}`,
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      'pipe:1',
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  );
}

/** Pixel variance (luma-ish) of a region of an RGB frame: a black or flat tile is near 0. */
export function regionStats(
  rgb: Buffer,
  width: number,
  r: { x: number; y: number; w: number; h: number },
): { mean: number; variance: number } {
  let sum = 0;
  let sq = 0;
  let n = 0;
  for (let y = r.y; y < r.y + r.h; y++)
    for (let x = r.x; x < r.x + r.w; x++) {
      const i = (y * width + x) * 3;
      const v = (rgb[i]! + rgb[i + 1]! + rgb[i + 2]!) / 3;
      sum += v;
      sq += v * v;
      n++;
    }
  const mean = sum / n;
  return { mean, variance: sq / n - mean * mean };
}

/** Mean volume in dB of an audio file (ffmpeg volumedetect); -91 is digital silence. */
export function meanVolumeDb(path: string): number {
  const r = spawnSync('ffmpeg', [
    '-hide_banner',
    '-i',
    path,
    '-af',
    'volumedetect',
    '-f',
    'null',
    '-',
  ]);
  const m = /mean_volume:\s*(-?[\d.]+) dB/.exec(r.stderr.toString());
  return m ? Number(m[1]) : -Infinity;
}
