/**
 * Test-only payload inspection (MediaWorker `inspection: true`): a ring buffer of the most recent
 * payload samples of one producer, so end-to-end encryption tests can show what the SFU can see.
 * A producer of a worker without inspection has no inspector at all (one `undefined` check per
 * packet).
 */
import type { MediaKind, PayloadSample } from '../channel/messages';
import { isVp8FrameStart, parseVp8Descriptor, vp8KeyframeBit } from './vp8';

/** Samples kept per producer. */
export const PAYLOAD_SAMPLES_MAX = 64;
/** Bytes of each payload kept (as base64) in `payloadHead`. */
export const PAYLOAD_HEAD_BYTES = 48;

const head = (payload: Buffer): string =>
  payload.subarray(0, PAYLOAD_HEAD_BYTES).toString('base64');

export class PayloadInspector {
  readonly #kind: MediaKind;
  readonly #samples: PayloadSample[] = [];
  /** Index of the oldest sample once the buffer is full. */
  #next = 0;

  constructor(kind: MediaKind) {
    this.#kind = kind;
  }

  /** Records one received RTP payload (Opus, or VP8 with its RFC 7741 descriptor). */
  record(payload: Buffer): void {
    if (this.#kind === 'audio') {
      this.#push({ kind: 'audio', payloadHead: head(payload), payloadLength: payload.length });
      return;
    }
    const descriptor = parseVp8Descriptor(payload);
    if (!descriptor || !isVp8FrameStart(descriptor)) return;
    const vp8 = payload.subarray(descriptor.length);
    if (vp8.length === 0) return;
    this.#push({
      kind: 'video',
      frameStart: true,
      payloadHead: head(vp8),
      keyframeBit: vp8KeyframeBit(vp8),
      payloadLength: vp8.length,
    });
  }

  /** The samples, oldest first (a copy). */
  samples(): PayloadSample[] {
    return [...this.#samples.slice(this.#next), ...this.#samples.slice(0, this.#next)];
  }

  #push(sample: PayloadSample): void {
    if (this.#samples.length < PAYLOAD_SAMPLES_MAX) {
      this.#samples.push(sample);
      return;
    }
    this.#samples[this.#next] = sample;
    this.#next = (this.#next + 1) % PAYLOAD_SAMPLES_MAX;
  }
}
