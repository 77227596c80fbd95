import { randomUUID } from 'node:crypto';
import { ConclaveError } from '@conclave/protocol';
import type { CaptionEntry, CaptionsState, ParticipantId, ServerEvent } from '@conclave/protocol';
import type { Producer } from '@conclave/sfu';
import type { Logger } from '../../logger';
import type { RoomParticipant } from '../participant';
import type { SpeechRecognizer } from './recognizer';
import { SpeakerCaptions } from './speaker-captions';

/** A microphone whose recognizer keeps dying is retried this many times, then left uncaptioned. */
export const MAX_PIPELINE_RESTARTS = 5;
/** Wait before reopening a failed pipeline: 1 s, doubling, at most 30 s. */
const restartDelayMs = (n: number) => Math.min(1000 * 2 ** (n - 1), 30_000);

/** Transcript entries kept per meeting (in memory, for the meeting's duration only). */
export const MAX_TRANSCRIPT_ENTRIES = 20_000;

/** A breakout room; `null` stands for the main room. */
export interface CaptionRoom {
  id: string;
  name: string;
}

export interface Speaker {
  participant: RoomParticipant;
  producer: Producer;
  /** The room whose router carries this microphone (a move makes a new producer). */
  room: CaptionRoom | null;
}

export interface CaptionsDeps {
  recognizer: SpeechRecognizer;
  logger: Logger;
  /** Microphones to caption now: those of participants who are not held, in every room. */
  speakers: () => Iterable<Speaker>;
  /** Everyone in the meeting, in every room (held participants too). */
  participants: () => Iterable<RoomParticipant>;
  now?: () => number;
}

/**
 * Live captions of one meeting: who turned them on and in which language (one setting for the
 * main room and every breakout room), one recognizer pipeline per microphone, and the transcript
 * the host can download. Everyone, in every room, is told the captions state (the server hears
 * their audio); each caption line goes only to the people in the speaker's room.
 */
export class CaptionsManager {
  readonly #deps: CaptionsDeps;
  readonly #pipelines = new Map<string, Promise<SpeakerCaptions | undefined>>();
  /** Failed pipelines per producer, and the reopen timers waiting. */
  readonly #restarts = new Map<string, number>();
  readonly #restartTimers = new Set<NodeJS.Timeout>();
  readonly #transcript: CaptionEntry[] = [];
  #language: string | null = null;
  #startedBy: { id: ParticipantId; name: string } | null = null;
  #disposed = false;

  constructor(deps: CaptionsDeps) {
    this.#deps = deps;
  }

  get on(): boolean {
    return this.#language !== null;
  }

  view(): CaptionsState {
    const status = this.#deps.recognizer.status();
    return {
      on: this.on,
      language: this.#language,
      startedBy: this.#startedBy,
      available: status.available,
      unavailableReason: status.available ? null : status.reason,
      engine: status.engine,
      languages: status.available ? status.languages : [],
    };
  }

  /** Turns captions on, or changes their language. Anyone may turn them on. */
  start(by: RoomParticipant, language: string): null {
    const status = this.#deps.recognizer.status();
    if (!status.available) throw new ConclaveError('CAPTIONS_UNAVAILABLE', status.reason);
    if (!status.languages.includes(language))
      throw new ConclaveError('CAPTIONS_LANGUAGE_UNSUPPORTED');
    if (this.on) {
      this.#assertMayChange(by);
      if (language === this.#language) return null;
      this.#closePipelines();
    } else {
      this.#startedBy = { id: by.id, name: by.displayName };
    }
    this.#language = language;
    this.#broadcastState(null);
    this.sync();
    return null;
  }

  stop(by: RoomParticipant): null {
    if (!this.on) return null;
    this.#assertMayChange(by);
    this.#turnOff(null);
    return null;
  }

  /** Captions stop without a person choosing it (E2EE turned on); everyone is told why. */
  stopWithNotice(notice: string): void {
    if (this.on) this.#turnOff(notice);
  }

  /** Host only: the transcript so far of every room, oldest first. */
  transcript(by: RoomParticipant): { entries: CaptionEntry[] } {
    if (by.role !== 'host') throw new ConclaveError('NOT_HOST');
    return { entries: [...this.#transcript] };
  }

  /** What was said since `at` (epoch ms), for a recording that saves its transcript. */
  entriesSince(at: number): CaptionEntry[] {
    return this.#transcript.filter((e) => e.at >= at);
  }

  /** Opens pipelines for new microphones and closes those that left; call after any change. */
  sync(): void {
    if (!this.on || this.#disposed) return;
    const wanted = new Map<string, Speaker>();
    for (const s of this.#deps.speakers()) if (!s.producer.closed) wanted.set(s.producer.id, s);
    for (const [id, pipeline] of this.#pipelines) {
      if (wanted.has(id)) continue;
      this.#pipelines.delete(id);
      void pipeline.then((p) => p?.close());
    }
    for (const [id, speaker] of wanted) {
      if (this.#pipelines.has(id)) continue;
      if ((this.#restarts.get(id) ?? 0) > MAX_PIPELINE_RESTARTS) continue;
      const pipeline: Promise<SpeakerCaptions | undefined> = this.#open(
        speaker,
        () => this.#pipelines.get(id) === pipeline,
        () => this.#failed(id, pipeline),
      );
      this.#pipelines.set(id, pipeline);
    }
  }

  /**
   * A recognizer died under a live microphone (an engine crash, a process killed): drop that
   * pipeline and open a new one after a short wait, so one crash does not end someone's captions
   * for the rest of the meeting. A microphone that keeps failing is left alone after a few tries.
   */
  #failed(id: string, pipeline: Promise<SpeakerCaptions | undefined>): void {
    if (this.#pipelines.get(id) !== pipeline) return;
    this.#pipelines.delete(id);
    void pipeline.then((p) => p?.close());
    const n = (this.#restarts.get(id) ?? 0) + 1;
    this.#restarts.set(id, n);
    if (n > MAX_PIPELINE_RESTARTS) {
      this.#deps.logger.warn({ producerId: id }, 'captions engine keeps failing; giving up');
      return;
    }
    const timer = setTimeout(() => {
      this.#restartTimers.delete(timer);
      this.sync();
    }, restartDelayMs(n));
    this.#restartTimers.add(timer);
  }

  dispose(): void {
    this.#disposed = true;
    this.#closePipelines();
  }

  async #open(
    speaker: Speaker,
    stillWanted: () => boolean,
    onFailed: () => void,
  ): Promise<SpeakerCaptions | undefined> {
    const language = this.#language;
    if (!language) return undefined;
    const { participant, producer } = speaker;
    try {
      const pipeline = await SpeakerCaptions.open({
        producer,
        language,
        recognizer: this.#deps.recognizer,
        logger: this.#deps.logger,
        // Words spoken in a room stay in it, even when recognised after the speaker moved on.
        onText: (text) => this.#text(participant, speaker.room, text),
        onFailed,
      });
      // Captions may have stopped, or the microphone gone, while the pipeline opened.
      if (!stillWanted()) {
        pipeline.close();
        return undefined;
      }
      return pipeline;
    } catch (err) {
      this.#deps.logger.warn({ err, participantId: participant.id }, 'captions pipeline failed');
      return undefined;
    }
  }

  #text(participant: RoomParticipant, room: CaptionRoom | null, text: string): void {
    if (!this.on) return;
    const entry: CaptionEntry = {
      id: randomUUID(),
      participantId: participant.id,
      name: participant.displayName,
      text: text.slice(0, 2000),
      at: (this.#deps.now ?? Date.now)(),
      ...(room ? { room: room.name } : {}),
    };
    if (this.#transcript.length >= MAX_TRANSCRIPT_ENTRIES) this.#transcript.shift();
    this.#transcript.push(entry);
    const event: ServerEvent = { type: 'captions.text', entry };
    const roomId = room?.id ?? null;
    for (const p of this.#deps.participants())
      if (!p.held && p.breakoutId === roomId) p.peer?.send(event);
  }

  #broadcastState(notice: string | null): void {
    const event: ServerEvent = { type: 'captions.state', state: this.view(), notice };
    for (const p of this.#deps.participants()) p.peer?.send(event);
  }

  #assertMayChange(by: RoomParticipant): void {
    if (by.role !== 'host' && by.id !== this.#startedBy?.id)
      throw new ConclaveError('CAPTIONS_NOT_ALLOWED');
  }

  #turnOff(notice: string | null): void {
    this.#language = null;
    this.#startedBy = null;
    this.#closePipelines();
    this.#broadcastState(notice);
  }

  #closePipelines(): void {
    for (const pipeline of this.#pipelines.values()) void pipeline.then((p) => p?.close());
    this.#pipelines.clear();
    // Turned off (or the language changed): a microphone that was given up on gets a new chance.
    for (const t of this.#restartTimers) clearTimeout(t);
    this.#restartTimers.clear();
    this.#restarts.clear();
  }
}
