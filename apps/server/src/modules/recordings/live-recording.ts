import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { CaptionEntry } from '@conclave/protocol';
import type { Logger } from '../../logger';
import type { RecordingStore } from './recording-store';
import { SealedFileWriter } from './sealed-file';

export interface TrackMeta {
  participantId: string;
  participantName: string;
  source: 'microphone' | 'camera' | 'screen';
  kind: 'audio' | 'video';
}

/** Where a track's bytes go; opened at the track's first frame (so its offset is exact). */
export interface LiveTrackSink {
  write(bytes: Uint8Array): void;
  flush(): Promise<void>;
  close(): Promise<void>;
}

export interface LiveRecordingDeps {
  store: RecordingStore;
  key: Buffer;
  /** The recording's own directory. */
  dir: string;
  logger: Logger;
  now: () => Date;
  /** Whether the plan saves the captions transcript with the recording ("Cloud transcripts"). */
  saveTranscript: boolean;
  /** Called once the recording row is final (composition is queued there). */
  onFinished: (recordingId: string) => void;
}

const HEARTBEAT_MS = 5000;

/**
 * One cloud recording while the meeting runs: a sealed file per track, written live, and a
 * heartbeat that keeps the row's duration current, so a crash leaves a known length.
 */
export class LiveRecording {
  readonly id: string;
  readonly startedAt: Date;
  readonly #d: LiveRecordingDeps;
  readonly #tracks = new Set<Promise<void>>();
  readonly #heartbeat: NodeJS.Timeout;
  #finished = false;

  constructor(id: string, startedAt: Date, deps: LiveRecordingDeps) {
    this.id = id;
    this.startedAt = startedAt;
    this.#d = deps;
    this.#heartbeat = setInterval(() => {
      void this.#d.store
        .update(id, { durationMs: this.#elapsed() })
        .catch((err: unknown) => this.#d.logger.warn({ err }, 'recording heartbeat failed'));
    }, HEARTBEAT_MS);
    this.#heartbeat.unref();
  }

  #elapsed(): number {
    return Math.max(0, this.#d.now().getTime() - this.startedAt.getTime());
  }

  /** A sink for one track; its file and row are created on the first write. */
  openTrack(meta: TrackMeta): LiveTrackSink {
    const fileId = randomUUID();
    const path = join(this.id, `${fileId}.track`);
    const offsetMs = this.#elapsed();
    let writer: Promise<SealedFileWriter> | undefined;
    let closed = false;
    const open = () =>
      (writer ??= (async () => {
        await mkdir(this.#d.dir, { recursive: true, mode: 0o700 });
        const w = await SealedFileWriter.create(join(this.#d.dir, `${fileId}.track`), this.#d.key);
        await this.#d.store.insertFile({
          id: fileId,
          recordingId: this.id,
          kind: 'track',
          path,
          bytes: 0,
          sha256: '',
          participantId: meta.participantId,
          participantName: meta.participantName,
          source: meta.source,
          offsetMs,
          complete: false,
          createdAt: this.#d.now(),
        });
        return w;
      })());
    const pending: Uint8Array[] = [];
    let done: Promise<void> | undefined;
    let settled: () => void = () => undefined;
    this.#tracks.add(new Promise<void>((resolve) => (settled = resolve)));
    return {
      write: (bytes) => {
        if (closed) return;
        pending.push(bytes);
        void open().then((w) => {
          for (const b of pending.splice(0)) w.write(b);
        });
      },
      flush: async () => {
        if (!writer) return;
        const w = await writer;
        for (const b of pending.splice(0)) w.write(b);
        await w.flush();
      },
      close: () =>
        (done ??= (async () => {
          closed = true;
          if (!writer) return;
          const w = await writer;
          for (const b of pending.splice(0)) w.write(b);
          const summary = await w.close();
          await this.#d.store.updateFile(fileId, { ...summary, complete: true });
        })()
          .catch((err: unknown) => this.#d.logger.warn({ err }, 'recording track close failed'))
          .finally(settled)),
    };
  }

  /**
   * Ends the recording: waits for the tracks (the caller closed them), saves the transcript
   * when the plan includes it, and hands the recording to composition.
   */
  async finish(opts: { stopReason: string | null; transcript: CaptionEntry[] }): Promise<void> {
    if (this.#finished) return;
    this.#finished = true;
    clearInterval(this.#heartbeat);
    await Promise.all(this.#tracks);
    const endedAt = this.#d.now();
    if (this.#d.saveTranscript && opts.transcript.length > 0) {
      const fileId = randomUUID();
      await mkdir(this.#d.dir, { recursive: true, mode: 0o700 });
      const w = await SealedFileWriter.create(
        join(this.#d.dir, `${fileId}.transcript`),
        this.#d.key,
      );
      w.write(Buffer.from(transcriptText(opts.transcript, this.startedAt), 'utf8'));
      const summary = await w.close();
      await this.#d.store.insertFile({
        id: fileId,
        recordingId: this.id,
        kind: 'transcript',
        path: join(this.id, `${fileId}.transcript`),
        ...summary,
        participantId: null,
        participantName: null,
        source: null,
        offsetMs: 0,
        complete: true,
        createdAt: endedAt,
      });
    }
    await this.#d.store.update(this.id, {
      endedAt,
      durationMs: endedAt.getTime() - this.startedAt.getTime(),
      status: 'composing',
      stopReason: opts.stopReason,
    });
    this.#d.onFinished(this.id);
  }
}

/** The transcript as WebVTT-like plain text: offset from the recording's start, name, words. */
export function transcriptText(entries: CaptionEntry[], startedAt: Date): string {
  const lines = ['Conclave captions transcript', ''];
  for (const e of entries) {
    const s = Math.max(0, Math.round((e.at - startedAt.getTime()) / 1000));
    const hh = String(Math.floor(s / 3600)).padStart(2, '0');
    const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
    const ss = String(s % 60).padStart(2, '0');
    lines.push(`[${hh}:${mm}:${ss}] ${e.name}${e.room ? ` (${e.room})` : ''}: ${e.text}`);
  }
  return `${lines.join('\n')}\n`;
}
