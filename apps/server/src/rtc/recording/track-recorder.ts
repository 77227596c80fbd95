import type { Producer, RtpTap } from '@conclave/sfu';
import type { Logger } from '../../logger';
import type { MediaFrame } from './rtp-frames';
import { OpusFrames, Vp8Frames } from './rtp-frames';
import { WebmClusterer, webmHeader } from './webm-writer';

/** Where a track's WebM bytes go (a sealed file in the recordings module). */
export interface TrackSink {
  write(bytes: Uint8Array): void;
  /** Makes what was written durable-on-crash (seals a chunk); called about once a second. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export interface TrackRecorderOptions {
  producer: Producer;
  /** Called at the first frame written (so the track's offset in the recording is exact). */
  openSink: () => TrackSink;
  logger: Logger;
  /** Asks the publisher for a keyframe (the recorder calls it at most once a second). */
  requestKeyFrame: () => void;
}

const FLUSH_MS = 1000;

/**
 * The one place recording touches the SFU: a producer's RTP tap -> frames -> a one-track WebM
 * written live (webm-writer.ts), sealed every second so a crash loses at most about a second.
 * With simulcast the tap delivers the single stream the SFU exposes for it (the top layer).
 */
export class TrackRecorder {
  readonly #tap: RtpTap;
  readonly #openSink: () => TrackSink;
  #sink: TrackSink | undefined;
  readonly #clusters = new WebmClusterer();
  readonly #timer: NodeJS.Timeout;
  readonly #kind: 'audio' | 'video';
  #headerWritten = false;
  #closed: Promise<void> | undefined;
  #frames = 0;

  private constructor(tap: RtpTap, options: TrackRecorderOptions) {
    this.#tap = tap;
    this.#openSink = options.openSink;
    this.#kind = options.producer.kind;
    let lastKeyRequest = 0;
    const askKeyframe = () => {
      const now = Date.now();
      if (now - lastKeyRequest < 1000) return;
      lastKeyRequest = now;
      options.requestKeyFrame();
    };
    const parser = this.#kind === 'video' ? new Vp8Frames() : new OpusFrames();
    if (parser instanceof Vp8Frames) parser.onKeyframeNeeded = askKeyframe;
    tap.on('rtp', (packet) => {
      for (const frame of parser.push(packet)) this.#frame(frame);
    });
    tap.on('close', () => void this.close());
    this.#timer = setInterval(() => {
      if (!this.#sink) return;
      const cluster = this.#clusters.flush();
      if (cluster) this.#sink.write(cluster);
      this.#sink.flush().catch((err: unknown) => {
        options.logger.warn({ err }, 'recording write failed');
      });
    }, FLUSH_MS);
    this.#timer.unref();
    if (this.#kind === 'video') askKeyframe();
  }

  static async open(options: TrackRecorderOptions): Promise<TrackRecorder> {
    const tap = await options.producer.createTap();
    return new TrackRecorder(tap, options);
  }

  /** Frames written so far. */
  get frames(): number {
    return this.#frames;
  }

  #frame(frame: MediaFrame): void {
    if (this.#closed) return;
    if (!this.#headerWritten) {
      // Video waits for its first keyframe: it carries the picture size for the header.
      if (this.#kind === 'video' && !frame.keyframe) return;
      this.#sink = this.#openSink();
      this.#sink.write(
        webmHeader(
          this.#kind === 'video'
            ? { kind: 'video', codec: 'V_VP8', width: frame.width ?? 0, height: frame.height ?? 0 }
            : { kind: 'audio', codec: 'A_OPUS', sampleRate: 48_000, channels: 2 },
        ),
      );
      this.#headerWritten = true;
    }
    const closed = this.#clusters.add(
      frame.timestampMs,
      this.#kind === 'video' && frame.keyframe,
      frame.data,
    );
    if (closed) this.#sink?.write(closed);
    this.#frames++;
  }

  /** Idempotent: stops the tap and writes the last Cluster. */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      clearInterval(this.#timer);
      this.#tap.close();
      if (!this.#sink) return;
      const cluster = this.#clusters.flush();
      if (cluster) this.#sink.write(cluster);
      await this.#sink.close();
    })();
    return this.#closed;
  }
}
