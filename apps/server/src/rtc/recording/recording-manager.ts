import { ConclaveError } from '@conclave/protocol';
import type { CaptionEntry, ParticipantId, RecordingState, ServerEvent } from '@conclave/protocol';
import type { Producer } from '@conclave/sfu';
import type { Logger } from '../../logger';
import type { RoomParticipant } from '../participant';
import type { TrackSink } from './track-recorder';
import { TrackRecorder } from './track-recorder';

/** One recording in progress, as the recordings module hands it to the room. */
export interface LiveRecordingPort {
  readonly startedAt: Date;
  openTrack(meta: {
    participantId: string;
    participantName: string;
    source: 'microphone' | 'camera' | 'screen';
    kind: 'audio' | 'video';
  }): TrackSink;
  finish(opts: { stopReason: string | null; transcript: CaptionEntry[] }): Promise<void>;
}

/** How a room reaches the recordings module (injected; rtc never imports its storage). */
export interface MeetingRecorder {
  availability(): Promise<{ available: boolean; reason: string | null }>;
  begin(startedByName: string): Promise<LiveRecordingPort>;
}

export interface RecordedTrack {
  participant: RoomParticipant;
  producer: Producer;
  source: 'microphone' | 'camera' | 'screen';
}

export interface RecordingDeps {
  recorder: MeetingRecorder;
  logger: Logger;
  /** Tracks to record now: the main room's, of participants who are let in. */
  tracks: () => Iterable<RecordedTrack>;
  participants: () => Iterable<RoomParticipant>;
  requestKeyFrame: (producer: Producer) => void;
  /** Captions said since `at` (epoch ms), saved with the recording when the plan includes it. */
  transcriptSince: (at: number) => CaptionEntry[];
  e2eeActive: () => boolean;
}

const E2EE_REASON =
  'Cloud recording is off while end-to-end encryption is on: the server cannot see the media. You can record on your device instead.';

/**
 * Recording in one meeting (DESIGN.md §8): the cloud recording (one TrackRecorder per producer,
 * opened and closed as people publish and leave) and who records locally. Everyone is told the
 * state on every change; the client shows the indicator and the join notice from it.
 */
export class RecordingManager {
  readonly #d: RecordingDeps;
  readonly #recorders = new Map<string, Promise<TrackRecorder | undefined>>();
  readonly #local = new Map<ParticipantId, string>();
  #live: LiveRecordingPort | undefined;
  #starting = false;
  #startedBy: { id: ParticipantId; name: string } | null = null;
  #available = false;
  #reason: string | null = 'Checking whether cloud recording is available…';
  #localAllowed = false;
  #disposed = false;

  constructor(deps: RecordingDeps) {
    this.#d = deps;
  }

  get on(): boolean {
    return this.#live !== undefined;
  }

  view(): RecordingState {
    const e2ee = this.#d.e2eeActive();
    return {
      cloud: {
        on: this.on,
        startedBy: this.#startedBy,
        startedAt: this.#live?.startedAt.getTime() ?? null,
        available: this.#available && !e2ee,
        unavailableReason: e2ee ? E2EE_REASON : this.#available ? null : this.#reason,
      },
      local: [...this.#local].map(([id, name]) => ({ id, name })),
      localAllowed: this.#localAllowed,
    };
  }

  /** Re-reads whether the plan and the admin allow cloud recording; tells everyone if it changed. */
  async refreshAvailability(): Promise<void> {
    const a = await this.#d.recorder.availability().catch(() => ({
      available: false,
      reason: 'Cloud recording is not available right now.',
    }));
    const changed = a.available !== this.#available || a.reason !== this.#reason;
    this.#available = a.available;
    this.#reason = a.reason;
    if (changed) this.broadcastState(null);
  }

  async start(by: RoomParticipant): Promise<null> {
    this.#assertHost(by);
    if (this.#d.e2eeActive()) throw new ConclaveError('E2EE_FEATURE_UNAVAILABLE', E2EE_REASON);
    if (this.on || this.#starting) return null;
    this.#starting = true;
    try {
      await this.refreshAvailability();
      if (!this.#available)
        throw new ConclaveError('RECORDING_UNAVAILABLE', this.#reason ?? undefined);
      const live = await this.#d.recorder.begin(by.displayName);
      if (this.#disposed) {
        await live.finish({ stopReason: null, transcript: [] });
        return null;
      }
      this.#live = live;
      this.#startedBy = { id: by.id, name: by.displayName };
    } finally {
      this.#starting = false;
    }
    this.broadcastState(null);
    this.sync();
    return null;
  }

  async stop(by: RoomParticipant): Promise<null> {
    this.#assertHost(by);
    await this.#end(null, null);
    return null;
  }

  /** The recording stops without a person choosing it (E2EE turned on); everyone is told why. */
  async stopWithNotice(notice: string, stopReason: string): Promise<void> {
    if (this.on) await this.#end(notice, stopReason);
  }

  /** This participant records on their device, or stopped. */
  setLocal(p: RoomParticipant, recording: boolean): null {
    if (recording) {
      if (p.held)
        throw new ConclaveError('RECORDING_NOT_ALLOWED', 'You can record once you are let in.');
      if (!this.#localAllowed && p.role !== 'host')
        throw new ConclaveError('RECORDING_NOT_ALLOWED');
      this.#local.set(p.id, p.displayName);
    } else if (!this.#local.delete(p.id)) return null;
    this.broadcastState(null);
    return null;
  }

  /** Host: allow participants to record locally; disallowing stops theirs (hosts keep theirs). */
  allowLocal(by: RoomParticipant, allowed: boolean): null {
    this.#assertHost(by);
    this.#localAllowed = allowed;
    if (!allowed) {
      const hosts = new Set(
        [...this.#d.participants()].filter((p) => p.role === 'host').map((p) => p.id),
      );
      for (const id of [...this.#local.keys()]) if (!hosts.has(id)) this.#local.delete(id);
    }
    this.broadcastState(null);
    return null;
  }

  /** Someone left: they no longer record locally. */
  participantLeft(id: ParticipantId): void {
    if (this.#local.delete(id)) this.broadcastState(null);
  }

  /** Opens recorders for new producers and forgets closed ones; call after any media change. */
  sync(): void {
    if (!this.#live || this.#disposed) return;
    const live = this.#live;
    const wanted = new Map<string, RecordedTrack>();
    for (const t of this.#d.tracks()) if (!t.producer.closed) wanted.set(t.producer.id, t);
    for (const [id, recorder] of this.#recorders) {
      if (wanted.has(id)) continue;
      this.#recorders.delete(id);
      void recorder.then((r) => r?.close());
    }
    for (const [id, t] of wanted) {
      if (this.#recorders.has(id)) continue;
      this.#recorders.set(
        id,
        TrackRecorder.open({
          producer: t.producer,
          logger: this.#d.logger,
          requestKeyFrame: () => this.#d.requestKeyFrame(t.producer),
          openSink: () =>
            live.openTrack({
              participantId: t.participant.id,
              participantName: t.participant.displayName,
              source: t.source,
              kind: t.producer.kind,
            }),
        }).catch((err: unknown) => {
          this.#d.logger.warn({ err }, 'could not record a track');
          return undefined;
        }),
      );
    }
  }

  /** The meeting ended (or the server shuts down): the recording is finished and composed. */
  async dispose(): Promise<void> {
    this.#disposed = true;
    await this.#end(null, null, false);
  }

  broadcastState(notice: string | null): void {
    const event: ServerEvent = { type: 'recording.state', state: this.view(), notice };
    for (const p of this.#d.participants()) p.peer?.send(event);
  }

  async #end(notice: string | null, stopReason: string | null, broadcast = true): Promise<void> {
    const live = this.#live;
    if (!live) return;
    this.#live = undefined;
    this.#startedBy = null;
    const recorders = [...this.#recorders.values()];
    this.#recorders.clear();
    if (broadcast) this.broadcastState(notice);
    await Promise.all(recorders.map((r) => r.then((x) => x?.close())));
    await live
      .finish({ stopReason, transcript: this.#d.transcriptSince(live.startedAt.getTime()) })
      .catch((err: unknown) => this.#d.logger.error({ err }, 'recording finish failed'));
  }

  #assertHost(by: RoomParticipant): void {
    if (by.role !== 'host') throw new ConclaveError('NOT_HOST');
  }
}
