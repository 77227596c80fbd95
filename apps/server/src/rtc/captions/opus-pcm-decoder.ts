import { OpusDecoder } from 'opus-decoder';
import { RECOGNIZER_SAMPLE_RATE } from './recognizer';

/** Gaps up to this many packets are filled with silence so utterance timing holds. */
const MAX_FILLED_GAP = 10;
/** After this many undecodable packets in a row the stream is given up (libopus logs each). */
const MAX_CONSECUTIVE_ERRORS = 25;
/** Chromium sends 20 ms Opus frames. */
const FRAME_SAMPLES = RECOGNIZER_SAMPLE_RATE / 50;

/**
 * Opus RTP payloads (RFC 7587) -> 16 kHz mono 16-bit PCM, with the maintained WebAssembly libopus
 * build `opus-decoder`. libopus resamples to 16 kHz and downmixes stereo itself.
 */
export class OpusPcmDecoder {
  readonly #decoder = new OpusDecoder({ channels: 1, sampleRate: RECOGNIZER_SAMPLE_RATE });
  #lastSeq: number | undefined;
  #errorsInARow = 0;
  #freed = false;

  /** The stream kept failing to decode (not Opus, or corrupt): nothing more is decoded. */
  get failed(): boolean {
    return this.#errorsInARow >= MAX_CONSECUTIVE_ERRORS;
  }

  /** Resolves once the WebAssembly module is compiled. */
  get ready(): Promise<void> {
    return this.#decoder.ready;
  }

  /** Decodes one RTP payload; returns the PCM to append (silence first for lost packets). */
  decode(payload: Uint8Array, sequenceNumber: number): Int16Array {
    if (this.#freed || this.failed) return new Int16Array(0);
    const lost = this.#lastSeq === undefined ? 0 : ((sequenceNumber - this.#lastSeq) & 0xffff) - 1;
    if (lost < 0 || lost > 0x8000) return new Int16Array(0); // late or duplicate packet
    this.#lastSeq = sequenceNumber;
    const { channelData, samplesDecoded, errors } = this.#decoder.decodeFrame(payload);
    this.#errorsInARow = errors.length > 0 ? this.#errorsInARow + 1 : 0;
    const samples = channelData[0]?.subarray(0, samplesDecoded) ?? new Float32Array(0);
    const fill = lost > 0 && lost <= MAX_FILLED_GAP ? lost * FRAME_SAMPLES : 0;
    const out = new Int16Array(fill + samples.length);
    for (let i = 0; i < samples.length; i++) {
      const s = Math.max(-1, Math.min(1, samples[i]!));
      out[fill + i] = s < 0 ? s * 0x8000 : s * 0x7fff;
    }
    return out;
  }

  free(): void {
    if (this.#freed) return;
    this.#freed = true;
    this.#decoder.free();
  }
}
