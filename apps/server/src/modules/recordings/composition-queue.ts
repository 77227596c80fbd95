import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../logger';
import type { ComposeTrack } from './composer';
import { compose } from './composer';
import type { RecordingRecord, RecordingStore } from './recording-store';
import { sealFile, unsealFile } from './sealed-file';

export interface CompositionDeps {
  store: RecordingStore;
  key: Buffer;
  /** The recordings directory (sealed files live under it; plaintext only in a 0700 temp dir). */
  dir: string;
  logger: Logger;
  now: () => Date;
  ffmpegPath?: string;
  /** This node: several nodes share the recordings (one database, one directory). */
  nodeId: string;
  /** How long a claim to compose holds without renewal (a crashed node's claim then expires). */
  claimTtlMs?: number;
}

const DEFAULT_CLAIM_TTL_MS = 60_000;

/**
 * Composes finished recordings one at a time (ffmpeg is heavy; a second job waits). The raw
 * tracks are opened into a private temporary directory, composed, the outputs sealed next to
 * the tracks, and the plaintext removed whatever happens. With several nodes, a node composes
 * only while it holds the recording's claim (renewed as it works); a recording another node is
 * composing is looked at again when that claim would have expired (its node may have died).
 */
export class CompositionQueue {
  readonly #d: CompositionDeps;
  #chain: Promise<void> = Promise.resolve();
  readonly #abort = new AbortController();
  readonly #retries = new Set<NodeJS.Timeout>();
  #pending = 0;

  constructor(deps: CompositionDeps) {
    this.#d = deps;
  }

  enqueue(recordingId: string): void {
    this.#pending++;
    this.#chain = this.#chain
      .then(() => (this.#abort.signal.aborted ? undefined : this.#run(recordingId)))
      .catch((err: unknown) => this.#d.logger.error({ err, recordingId }, 'composition failed'))
      .finally(() => this.#pending--);
  }

  /** Resolves when every queued job is done (tests, shutdown). */
  idle(): Promise<void> {
    return this.#chain;
  }

  get pending(): number {
    return this.#pending;
  }

  /** Stops a running ffmpeg (shutdown); the recording stays "composing" and resumes at start. */
  stop(): Promise<void> {
    this.#abort.abort();
    for (const t of this.#retries) clearTimeout(t);
    this.#retries.clear();
    return this.#chain;
  }

  get #ttl(): number {
    return this.#d.claimTtlMs ?? DEFAULT_CLAIM_TTL_MS;
  }

  #claim(id: string): Promise<boolean> {
    const now = this.#d.now().getTime();
    return this.#d.store.claimComposition(id, this.#d.nodeId, now, now + this.#ttl);
  }

  /** Another node holds the claim: look again once it would have expired. */
  #retryLater(id: string): void {
    const timer = setTimeout(() => {
      this.#retries.delete(timer);
      if (!this.#abort.signal.aborted) this.enqueue(id);
    }, this.#ttl + 1000);
    timer.unref();
    this.#retries.add(timer);
  }

  async #run(id: string): Promise<void> {
    const { store } = this.#d;
    const rec = await store.find(id);
    if (!rec || rec.deletedAt || rec.status !== 'composing') return;
    if (!(await this.#claim(id))) {
      this.#d.logger.info({ recordingId: id }, 'another node is composing this recording');
      this.#retryLater(id);
      return;
    }
    const renew = setInterval(() => void this.#claim(id).catch(() => false), this.#ttl / 3);
    renew.unref();
    try {
      await this.#compose(id, rec);
    } finally {
      clearInterval(renew);
      await store.releaseComposition(id, this.#d.nodeId).catch(() => undefined);
    }
  }

  async #compose(id: string, rec: RecordingRecord): Promise<void> {
    const { store } = this.#d;
    const files = await store.files(id);
    // A second run (crash mid-composition) replaces earlier outputs.
    let tmp: string | undefined;
    try {
      await mkdir(join(this.#d.dir, id), { recursive: true, mode: 0o700 });
      tmp = await mkdtemp(join(this.#d.dir, '.compose-'));
      const tracks: ComposeTrack[] = [];
      let interrupted = rec.interrupted;
      for (const f of files) {
        if (f.kind !== 'track' || !f.source) continue;
        const plain = join(tmp, `${f.id}.webm`);
        const complete = await unsealFile(join(this.#d.dir, f.path), plain, this.#d.key).catch(
          (err: unknown) => {
            this.#d.logger.warn({ err, recordingId: id }, 'a recording track could not be read');
            return null;
          },
        );
        if (complete === null) continue;
        if (!complete) interrupted = true;
        tracks.push({
          path: plain,
          kind: f.source === 'microphone' ? 'audio' : 'video',
          source: f.source,
          personKey: f.participantId ?? f.id,
          personName: f.participantName ?? 'Participant',
          offsetMs: f.offsetMs,
        });
      }
      const durationMs = Math.max(1000, rec.durationMs ?? 0);
      const videoOut = join(tmp, 'video.webm');
      const audioOut = join(tmp, 'audio.webm');
      let lastSaved = 0;
      await compose({
        tracks,
        durationMs,
        workDir: tmp,
        videoOut,
        audioOut,
        signal: this.#abort.signal,
        ...(this.#d.ffmpegPath ? { ffmpegPath: this.#d.ffmpegPath } : {}),
        onProgress: (f) => {
          const pct = Math.floor(f * 100);
          if (pct - lastSaved < 5) return;
          lastSaved = pct;
          void store.update(id, { progress: Math.min(99, pct) }).catch(() => undefined);
        },
      });
      for (const old of files.filter((f) => f.kind === 'video' || f.kind === 'audio')) {
        await rm(join(this.#d.dir, old.path), { force: true });
        await store.deleteFile(old.id);
      }
      for (const [kind, src] of [
        ['video', videoOut],
        ['audio', audioOut],
      ] as const) {
        const fileId = crypto.randomUUID();
        const path = join(id, `${fileId}.${kind}`);
        const summary = await sealFile(src, join(this.#d.dir, path), this.#d.key);
        await store.insertFile({
          id: fileId,
          recordingId: id,
          kind,
          path,
          ...summary,
          participantId: null,
          participantName: null,
          source: null,
          offsetMs: 0,
          complete: true,
          createdAt: this.#d.now(),
        });
      }
      await store.update(id, { status: 'ready', progress: 100, interrupted, error: null });
    } catch (err) {
      if (this.#abort.signal.aborted) return;
      await store.update(id, {
        status: 'failed',
        error: err instanceof Error ? err.message : String(err),
      });
      throw err;
    } finally {
      if (tmp) await rm(tmp, { recursive: true, force: true });
    }
  }
}
