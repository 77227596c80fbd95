import { ConclaveError } from '@conclave/protocol';
import type {
  RecognitionCallbacks,
  RecognitionStream,
  RecognizerStatus,
  SpeechRecognizer,
} from './recognizer';
import { UtteranceSegmenter, wavFile } from './utterance-segmenter';

export interface WhisperHttpOptions {
  /** Base URL of a whisper.cpp `server` (POST {url}/inference, multipart `file`). */
  url: string;
  /** Languages offered to users; whisper models are multilingual. */
  languages: string[];
  timeoutMs?: number;
}

/**
 * An external engine: each utterance (cut by an energy detector) is posted as a WAV file to a
 * whisper.cpp-compatible HTTP server, which answers `{ "text": "..." }`.
 */
export class WhisperHttpRecognizer implements SpeechRecognizer {
  readonly #options: WhisperHttpOptions;

  constructor(options: WhisperHttpOptions) {
    this.#options = options;
  }

  status(): RecognizerStatus {
    return { available: true, engine: 'whisper', languages: this.#options.languages };
  }

  openStream(language: string, callbacks: RecognitionCallbacks): RecognitionStream {
    if (!this.#options.languages.includes(language))
      throw new ConclaveError('CAPTIONS_LANGUAGE_UNSUPPORTED');
    return new WhisperHttpStream(this.#options, language, callbacks);
  }
}

class WhisperHttpStream implements RecognitionStream {
  readonly #segmenter: UtteranceSegmenter;
  /** Utterances are sent one at a time, in order, so captions keep the speaker's order. */
  #chain: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(options: WhisperHttpOptions, language: string, callbacks: RecognitionCallbacks) {
    const endpoint = `${options.url.replace(/\/$/, '')}/inference`;
    this.#segmenter = new UtteranceSegmenter((pcm) => {
      this.#chain = this.#chain.then(async () => {
        try {
          const form = new FormData();
          form.set(
            'file',
            new Blob([new Uint8Array(wavFile(pcm))], { type: 'audio/wav' }),
            'utterance.wav',
          );
          form.set('response_format', 'json');
          form.set('language', language.split('-')[0] ?? language);
          const response = await fetch(endpoint, {
            method: 'POST',
            body: form,
            signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
          });
          if (!response.ok) throw new Error(`whisper server answered ${response.status}`);
          const body = (await response.json()) as { text?: unknown };
          const text = typeof body.text === 'string' ? body.text.trim() : '';
          if (text) callbacks.onText(text);
        } catch (err) {
          callbacks.onError(err instanceof Error ? err : new Error(String(err)));
        }
      });
    });
  }

  write(pcm: Int16Array): void {
    if (!this.#closed) this.#segmenter.push(pcm);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#segmenter.flush();
  }
}
