/**
 * The speech recognizer port of live captions. Engines: PocketSphinx (offline, from Debian's
 * `pocketsphinx` + `pocketsphinx-en-us`) and an external whisper.cpp-style HTTP server. Audio in
 * is 16 kHz mono signed 16-bit PCM, written in real time as it arrives from the SFU.
 */

/** Sample rate every recognizer stream takes. */
export const RECOGNIZER_SAMPLE_RATE = 16_000;

export type RecognizerStatus =
  | { available: true; engine: string; languages: string[] }
  | { available: false; engine: string | null; reason: string };

export interface RecognitionCallbacks {
  /** One recognised utterance (final text, already trimmed and non-empty). */
  onText: (text: string) => void;
  /** Recognition failed (logged by the caller); a crashed engine process sends no more text. */
  onError: (err: Error) => void;
}

export interface RecognitionStream {
  /** Appends PCM; never throws (a stream that cannot keep up drops audio and says so once). */
  write(pcm: Int16Array): void;
  /** Idempotent. Pending text may still be delivered shortly after. */
  close(): void;
}

export interface SpeechRecognizer {
  status(): RecognizerStatus;
  /** One stream per speaker. Throws CAPTIONS_* ConclaveErrors when unavailable. */
  openStream(language: string, callbacks: RecognitionCallbacks): RecognitionStream;
}

/** Used when captions are configured off. */
export class NoRecognizer implements SpeechRecognizer {
  readonly #reason: string;
  constructor(reason: string) {
    this.#reason = reason;
  }
  status(): RecognizerStatus {
    return { available: false, engine: null, reason: this.#reason };
  }
  openStream(): RecognitionStream {
    throw new Error(this.#reason);
  }
}
