/**
 * Bitrate and liveness of one received RTP stream (a simulcast layer): bytes summed in 100 ms
 * buckets over the last second. Constant memory, no allocation per packet.
 */
const BUCKET_MS = 100;
const BUCKETS = 10;
/** A layer with no packet for this long is treated as stopped by the publisher. */
export const LAYER_INACTIVE_AFTER_MS = 1000;

export class LayerMeter {
  readonly #bytes = new Float64Array(BUCKETS);
  #bucketStart = 0;
  #bucket = 0;
  #lastPacketAtMs = Number.NEGATIVE_INFINITY;
  #packets = 0;

  get packets(): number {
    return this.#packets;
  }

  add(bytes: number, nowMs: number): void {
    this.#advance(nowMs);
    this.#bytes[this.#bucket]! += bytes;
    this.#lastPacketAtMs = nowMs;
    this.#packets++;
  }

  active(nowMs: number): boolean {
    return nowMs - this.#lastPacketAtMs < LAYER_INACTIVE_AFTER_MS;
  }

  /** Bits per second over the last second (0 when inactive). */
  bitrate(nowMs: number): number {
    this.#advance(nowMs);
    let sum = 0;
    for (const b of this.#bytes) sum += b;
    return (sum * 8 * 1000) / (BUCKET_MS * BUCKETS);
  }

  #advance(nowMs: number): void {
    if (this.#bucketStart === 0) this.#bucketStart = nowMs;
    let steps = Math.floor((nowMs - this.#bucketStart) / BUCKET_MS);
    if (steps <= 0) return;
    this.#bucketStart += steps * BUCKET_MS;
    if (steps > BUCKETS) steps = BUCKETS;
    for (let i = 0; i < steps; i++) {
      this.#bucket = (this.#bucket + 1) % BUCKETS;
      this.#bytes[this.#bucket] = 0;
    }
  }
}
