// Local recording (DESIGN.md §8): this browser records what it shows and plays — the video grid
// drawn onto a canvas with names, and every voice mixed with WebAudio — into a WebM with
// MediaRecorder. Nothing is uploaded: the file is saved on this device when recording stops. It
// works with end-to-end encryption on, because it records the decrypted media this device
// already has.

const W = 1280;
const H = 720;
const FPS = 15;

export interface LocalRecorderSources {
  /** The tiles (and shared screen) to draw: figure[data-testid=tile] and the screen stage. */
  root: () => HTMLElement | null;
  /** Every audio track to mix: remote voices and this device's microphone. */
  audioTracks: () => MediaStreamTrack[];
}

export class LocalRecorder {
  readonly #recorder: MediaRecorder;
  readonly #chunks: Blob[] = [];
  readonly #audio: AudioContext;
  readonly #mixed = new Map<string, MediaStreamAudioSourceNode>();
  readonly #timer: number;
  readonly #stopped: Promise<Blob>;

  private constructor(sources: LocalRecorderSources) {
    const canvas = document.createElement('canvas');
    canvas.width = W;
    canvas.height = H;
    const ctx = canvas.getContext('2d')!;
    this.#audio = new AudioContext();
    const destination = this.#audio.createMediaStreamDestination();
    const mix = () => {
      for (const track of sources.audioTracks()) {
        if (this.#mixed.has(track.id) || track.readyState === 'ended') continue;
        const node = this.#audio.createMediaStreamSource(new MediaStream([track]));
        node.connect(destination);
        this.#mixed.set(track.id, node);
      }
    };
    mix();
    const draw = () => {
      ctx.fillStyle = '#202124';
      ctx.fillRect(0, 0, W, H);
      const root = sources.root();
      if (!root) return;
      const screen = root.querySelector<HTMLVideoElement>('[data-testid="shared-screen"]');
      const tiles = [...root.querySelectorAll<HTMLElement>('[data-testid="tile"]')];
      const area = screen ? { x: 0, y: 0, w: W * 0.75, h: H } : { x: 0, y: 0, w: W, h: H };
      if (screen) drawVideo(ctx, screen, { x: 0, y: 0, w: W * 0.75, h: H });
      const n = Math.max(1, tiles.length);
      const cols = screen ? 1 : Math.ceil(Math.sqrt(n));
      const rows = screen ? n : Math.ceil(n / cols);
      const tw = screen ? W * 0.25 : area.w / cols;
      const th = screen ? Math.min(H / n, (tw * 9) / 16) : area.h / rows;
      tiles.forEach((tile, i) => {
        const r = screen
          ? { x: W * 0.75, y: i * th, w: tw, h: th }
          : { x: (i % cols) * tw, y: Math.floor(i / cols) * th, w: tw, h: th };
        const video = tile.querySelector('video');
        if (video) drawVideo(ctx, video, r);
        const name = tile.getAttribute('aria-label') ?? '';
        ctx.font = `${Math.max(12, Math.round(r.h / 12))}px sans-serif`;
        const size = ctx.measureText(name);
        ctx.fillStyle = 'rgba(0,0,0,0.55)';
        ctx.fillRect(r.x + 6, r.y + r.h - r.h / 12 - 16, size.width + 8, r.h / 12 + 10);
        ctx.fillStyle = '#fff';
        ctx.fillText(name, r.x + 10, r.y + r.h - 12);
      });
    };
    draw();
    // A timer, not requestAnimationFrame: recording continues in a background tab.
    this.#timer = window.setInterval(() => {
      draw();
      mix();
    }, 1000 / FPS);
    const stream = new MediaStream([
      ...canvas.captureStream(FPS).getVideoTracks(),
      ...destination.stream.getAudioTracks(),
    ]);
    const mimeType = ['video/webm;codecs=vp8,opus', 'video/webm'].find((t) =>
      MediaRecorder.isTypeSupported(t),
    );
    this.#recorder = new MediaRecorder(stream, {
      ...(mimeType ? { mimeType } : {}),
      videoBitsPerSecond: 1_000_000,
    });
    this.#recorder.ondataavailable = (e) => {
      if (e.data.size > 0) this.#chunks.push(e.data);
    };
    this.#stopped = new Promise((resolve) => {
      this.#recorder.onstop = () => resolve(new Blob(this.#chunks, { type: 'video/webm' }));
    });
    // Chunks every second: a crash of the tab loses at most the last second held in memory.
    this.#recorder.start(1000);
  }

  static isSupported(): boolean {
    return typeof MediaRecorder !== 'undefined' && typeof AudioContext !== 'undefined';
  }

  static start(sources: LocalRecorderSources): LocalRecorder {
    return new LocalRecorder(sources);
  }

  /** Stops and returns the WebM. */
  async stop(): Promise<Blob> {
    window.clearInterval(this.#timer);
    if (this.#recorder.state !== 'inactive') this.#recorder.stop();
    const blob = await this.#stopped;
    for (const t of this.#recorder.stream.getTracks()) t.stop();
    await this.#audio.close().catch(() => undefined);
    return blob;
  }
}

function drawVideo(
  ctx: CanvasRenderingContext2D,
  video: HTMLVideoElement,
  r: { x: number; y: number; w: number; h: number },
): void {
  if (video.readyState < 2 || !video.videoWidth) return;
  const scale = Math.min(r.w / video.videoWidth, r.h / video.videoHeight);
  const w = video.videoWidth * scale;
  const h = video.videoHeight * scale;
  ctx.drawImage(video, r.x + (r.w - w) / 2, r.y + (r.h - h) / 2, w, h);
}

/** Saves the recording on this device. */
export function saveRecording(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
