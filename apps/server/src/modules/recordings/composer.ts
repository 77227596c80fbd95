import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CANVAS, layoutFor } from './compose-layout';

// After the meeting, ffmpeg (Debian's) turns the raw tracks into one file a person can watch:
// a grid of the participants with their names, everyone's audio mixed, a shared screen large;
// and the mixed audio alone. Tracks are placed in time by their offset from the recording's
// start; gaps (a muted microphone, a late camera) become silence and black.

export interface ComposeTrack {
  /** A plaintext WebM (opened from its sealed file into a private temporary directory). */
  path: string;
  kind: 'audio' | 'video';
  source: 'microphone' | 'camera' | 'screen';
  /** Groups a person's tracks into one tile. */
  personKey: string;
  personName: string;
  offsetMs: number;
}

export interface ComposeJob {
  tracks: ComposeTrack[];
  durationMs: number;
  /** A private temporary directory for the name labels. */
  workDir: string;
  videoOut: string;
  audioOut: string;
  onProgress?: (fraction: number) => void;
  ffmpegPath?: string;
  /** Where drawtext finds a font (Debian: fonts-dejavu-core, a dependency of ffmpeg's libass). */
  fontFile?: string;
  /** Stops the job (shutdown). */
  signal?: AbortSignal;
}

const FPS = 15;
export const DEFAULT_FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';

/** The ffmpeg arguments for a job (exported for tests of the graph). */
export async function composeArgs(job: ComposeJob): Promise<string[]> {
  const seconds = (job.durationMs / 1000).toFixed(3);
  const people: { key: string; name: string }[] = [];
  for (const t of job.tracks)
    if (!people.some((p) => p.key === t.personKey))
      people.push({ key: t.personKey, name: t.personName });
  const screens = job.tracks.filter((t) => t.kind === 'video' && t.source === 'screen');
  const layout = layoutFor(people.length, screens.length > 0);
  const args = ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error'];
  job.tracks.forEach((t) => {
    args.push('-itsoffset', (t.offsetMs / 1000).toFixed(3), '-i', t.path);
  });
  const graph: string[] = [
    `color=c=0x202124:s=${CANVAS.w}x${CANVAS.h}:r=${FPS}:d=${seconds}[base0]`,
  ];
  let last = 'base0';
  let n = 0;
  const place = (input: number, r: { x: number; y: number; w: number; h: number }) => {
    const v = `v${input}`;
    graph.push(
      `[${input}:v]scale=${r.w}:${r.h}:force_original_aspect_ratio=decrease,` +
        `pad=${r.w}:${r.h}:(ow-iw)/2:(oh-ih)/2:color=black,setsar=1[${v}]`,
    );
    const next = `base${++n}`;
    graph.push(`[${last}][${v}]overlay=${r.x}:${r.y}:eof_action=pass:repeatlast=0[${next}]`);
    last = next;
  };
  job.tracks.forEach((t, i) => {
    if (t.kind !== 'video') return;
    if (t.source === 'screen' && layout.screen) place(i, layout.screen);
    else if (t.source === 'camera') {
      const tile = layout.tiles[people.findIndex((p) => p.key === t.personKey)];
      if (tile) place(i, tile);
    }
  });
  // Names on top of each tile; from files, so no name can inject filter syntax.
  for (const [i, p] of people.entries()) {
    const tile = layout.tiles[i]!;
    const file = join(job.workDir, `name-${i}.txt`);
    await writeFile(file, p.name.slice(0, 64), { mode: 0o600 });
    const size = Math.max(12, Math.round(tile.h / 12));
    const next = `base${++n}`;
    graph.push(
      `[${last}]drawtext=fontfile=${job.fontFile ?? DEFAULT_FONT}:textfile=${file}:` +
        `x=${tile.x + 8}:y=${tile.y + tile.h - size - 10}:fontsize=${size}:fontcolor=white:` +
        `box=1:boxcolor=black@0.55:boxborderw=4[${next}]`,
    );
    last = next;
  }
  graph.push(`[${last}]format=yuv420p[vout]`);
  const audio = job.tracks.flatMap((t, i) => (t.kind === 'audio' ? [i] : []));
  if (audio.length === 0) {
    graph.push(`anullsrc=r=48000:cl=stereo:n=960,atrim=0:${seconds},asplit=2[a1][a2]`);
  } else {
    // aresample async fills the start offset and any gap with silence (first_pts=0).
    for (const i of audio)
      graph.push(
        `[${i}:a]aresample=48000:async=1:first_pts=0,aformat=channel_layouts=stereo[a${i}]`,
      );
    graph.push(
      `${audio.map((i) => `[a${i}]`).join('')}amix=inputs=${audio.length}:duration=longest:` +
        `normalize=0,apad,atrim=0:${seconds},asplit=2[a1][a2]`,
    );
  }
  args.push('-filter_complex', graph.join(';'));
  args.push(
    '-map',
    '[vout]',
    '-map',
    '[a1]',
    '-t',
    seconds,
    '-c:v',
    'libvpx',
    '-deadline',
    'realtime',
    '-cpu-used',
    '8',
    '-b:v',
    '900k',
    '-g',
    String(FPS * 4),
    '-c:a',
    'libopus',
    '-b:a',
    '64k',
    '-f',
    'webm',
    job.videoOut,
    '-map',
    '[a2]',
    '-t',
    seconds,
    '-c:a',
    'libopus',
    '-b:a',
    '48k',
    '-f',
    'webm',
    job.audioOut,
    '-progress',
    'pipe:1',
    '-nostats',
  );
  return args;
}

/** Runs ffmpeg; rejects with its last error lines when it fails. */
export async function compose(job: ComposeJob): Promise<void> {
  const args = await composeArgs(job);
  const total = Math.max(1, job.durationMs * 1000);
  await new Promise<void>((resolve, reject) => {
    const child = spawn(job.ffmpegPath ?? 'ffmpeg', args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(job.signal ? { signal: job.signal } : {}),
    });
    let stderr = '';
    let buffered = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      buffered += d;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const m = /^out_time_(?:us|ms)=(\d+)/.exec(line);
        if (m) job.onProgress?.(Math.min(1, Number(m[1]) / total));
      }
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr = (stderr + d).slice(-4000);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else
        reject(
          new Error(
            `ffmpeg exited with ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`,
          ),
        );
    });
  });
}
