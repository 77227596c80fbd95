import type { Producer, RtpTap } from '@conclave/sfu';
import type { Logger } from '../../logger';
import { OpusPcmDecoder } from './opus-pcm-decoder';
import type { RecognitionStream, SpeechRecognizer } from './recognizer';

export interface SpeakerCaptionsOptions {
  producer: Producer;
  language: string;
  recognizer: SpeechRecognizer;
  onText: (text: string) => void;
  /** The recognizer stream failed (its engine process died): it will caption nothing more. */
  onFailed?: () => void;
  logger: Logger;
}

/** One speaker's microphone -> RTP tap -> Opus decoder -> recognizer stream -> text. */
export class SpeakerCaptions {
  readonly #tap: RtpTap;
  readonly #decoder: OpusPcmDecoder;
  readonly #stream: RecognitionStream;
  #closed = false;

  private constructor(tap: RtpTap, decoder: OpusPcmDecoder, stream: RecognitionStream) {
    this.#tap = tap;
    this.#decoder = decoder;
    this.#stream = stream;
    tap.on('rtp', (packet) => {
      const pcm = this.#decoder.decode(packet.payload, packet.sequenceNumber);
      if (pcm.length > 0) this.#stream.write(pcm);
    });
    tap.on('close', () => this.close());
  }

  static async open(options: SpeakerCaptionsOptions): Promise<SpeakerCaptions> {
    const decoder = new OpusPcmDecoder();
    await decoder.ready;
    let stream: RecognitionStream | undefined;
    try {
      stream = options.recognizer.openStream(options.language, {
        onText: options.onText,
        onError: (err) => {
          options.logger.warn({ err }, 'caption recognition failed');
          options.onFailed?.();
        },
      });
      const tap = await options.producer.createTap();
      return new SpeakerCaptions(tap, decoder, stream);
    } catch (err) {
      stream?.close();
      decoder.free();
      throw err;
    }
  }

  /** Idempotent: stops the tap, lets the recognizer finish its last utterance, frees the decoder. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#tap.close();
    this.#stream.close();
    this.#decoder.free();
  }
}
