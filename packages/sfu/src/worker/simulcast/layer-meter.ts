/**
 * Bitrate and liveness of one received RTP stream (a simulcast layer): bytes and packets summed
 * in 100 ms buckets over the last second. Constant memory, no allocation per packet.
 *
 * Liveness counts media only: a browser whose encoder paused a layer (its uplink estimate fell)
 * may still send padding-only packets on that layer's SSRC to probe its uplink (RFC 3550 §5.1 P
 * bit; libwebrtc pads on the media SSRC when RTX is not negotiated), and such a layer must not
 * look alive to layer selection.
 */
const BUCKET_MS = 100;
const BUCKETS = 10;
/** A layer with no media packet for this long is treated as stopped by the publisher. */
export const LAYER_INACTIVE_AFTER_MS = 1000;
/**
 * Bytes on the wire per RTP packet besides its payload: RTP header and the subscriber's header
 * extensions (~20), SRTP auth tag (10), UDP (8), IPv4 (20), Ethernet (14).
 */
export const PACKET_OVERHEAD_BYTES = 72;

export class LayerMeter {
  readonly #bytes = new Float64Array(BUCKETS);
  readonly #counts = new Uint32Array(BUCKETS);
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
    if (bytes > 0) {
      this.#counts[this.#bucket]!++;
      this.#lastPacketAtMs = nowMs;
    }
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

  /** Bits per second on the wire over the last second: payload plus per-packet overhead. */
  wireBitrate(nowMs: number): number {
    this.#advance(nowMs);
    let sum = 0;
    for (let i = 0; i < BUCKETS; i++)
      sum += this.#bytes[i]! + this.#counts[i]! * PACKET_OVERHEAD_BYTES;
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
      this.#counts[this.#bucket] = 0;
    }
  }
}
