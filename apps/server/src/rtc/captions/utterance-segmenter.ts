import { RECOGNIZER_SAMPLE_RATE } from './recognizer';

/** 20 ms frames at 16 kHz. */
const FRAME = RECOGNIZER_SAMPLE_RATE / 50;

export interface SegmenterOptions {
  /** RMS (of 16-bit samples) above which a frame counts as speech. */
  speechRms: number;
  /** A pause this long ends an utterance. */
  endSilenceMs: number;
  /** An utterance is cut here even without a pause. */
  maxUtteranceMs: number;
  /** Shorter bursts (clicks, coughs) are dropped. */
  minSpeechMs: number;
}

export const SEGMENTER_DEFAULTS: SegmenterOptions = {
  speechRms: 500,
  endSilenceMs: 700,
  maxUtteranceMs: 15_000,
  minSpeechMs: 200,
};

/**
 * Cuts a live PCM stream into utterances with a simple energy detector, for engines that take
 * whole clips (an HTTP whisper server) rather than a stream.
 */
export class UtteranceSegmenter {
  readonly #options: SegmenterOptions;
  readonly #onUtterance: (pcm: Int16Array) => void;
  #pending = new Int16Array(0);
  #frames: Int16Array[] = [];
  #speechFrames = 0;
  #silentFrames = 0;

  constructor(onUtterance: (pcm: Int16Array) => void, options = SEGMENTER_DEFAULTS) {
    this.#onUtterance = onUtterance;
    this.#options = options;
  }

  push(pcm: Int16Array): void {
    const joined = new Int16Array(this.#pending.length + pcm.length);
    joined.set(this.#pending);
    joined.set(pcm, this.#pending.length);
    let offset = 0;
    for (; offset + FRAME <= joined.length; offset += FRAME)
      this.#frame(joined.slice(offset, offset + FRAME));
    this.#pending = joined.slice(offset);
  }

  /** Ends the current utterance, if any (stream closing). */
  flush(): void {
    this.#emit();
  }

  #frame(frame: Int16Array): void {
    let sum = 0;
    for (const s of frame) sum += s * s;
    const speech = Math.sqrt(sum / frame.length) >= this.#options.speechRms;
    if (this.#frames.length === 0 && !speech) return;
    this.#frames.push(frame);
    if (speech) {
      this.#speechFrames++;
      this.#silentFrames = 0;
    } else this.#silentFrames++;
    const ms = this.#frames.length * 20;
    if (this.#silentFrames * 20 >= this.#options.endSilenceMs || ms >= this.#options.maxUtteranceMs)
      this.#emit();
  }

  #emit(): void {
    const frames = this.#frames;
    const speechMs = this.#speechFrames * 20;
    this.#frames = [];
    this.#speechFrames = 0;
    this.#silentFrames = 0;
    if (speechMs < this.#options.minSpeechMs) return;
    const out = new Int16Array(frames.length * FRAME);
    frames.forEach((f, i) => out.set(f, i * FRAME));
    this.#onUtterance(out);
  }
}

/** A 16-bit mono RIFF/WAVE file. */
export function wavFile(pcm: Int16Array, sampleRate = RECOGNIZER_SAMPLE_RATE): Buffer {
  const data = Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16); // fmt chunk size
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28); // byte rate
  header.writeUInt16LE(2, 32); // block align
  header.writeUInt16LE(16, 34); // bits per sample
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}
