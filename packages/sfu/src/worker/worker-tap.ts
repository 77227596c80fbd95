import type { RtpPacket } from 'werift';
import type { MediaKind, TapPacket } from '../channel/messages';
import { LayerForwarder } from './simulcast/layer-forwarder';
import type { Vp8Fields } from './simulcast/vp8-fields';

/**
 * A server-side listener on one producer's received RTP (live captions decode the audio; a
 * recorder stores it). It sees what a consumer would get: nothing while the producer is paused,
 * and of a simulcast track the best layer that flows, as one continuous stream (switching at key
 * frames, sequence numbers, timestamps and VP8 picture ids rewritten like a consumer's).
 */
export class WorkerTap {
  readonly id: string;
  readonly #deliver: (packet: TapPacket) => void;
  readonly #onClose: (tap: WorkerTap) => void;
  #forwarder: LayerForwarder | undefined;
  #closed = false;

  constructor(id: string, deliver: (packet: TapPacket) => void, onClose: (tap: WorkerTap) => void) {
    this.id = id;
    this.#deliver = deliver;
    this.#onClose = onClose;
  }

  resync(): void {
    this.#forwarder?.resync();
  }

  /**
   * Delivers `rtp` of `layer` if it belongs to the stream; `wanted` is the layer the tap should
   * follow. Returns true when the tap waits for a key frame of `wanted`.
   */
  send(
    kind: MediaKind,
    layer: number,
    rtp: RtpPacket,
    vp8: Vp8Fields | undefined,
    nowMs: number,
    wanted: number,
  ): boolean {
    if (this.#closed) return false;
    this.#forwarder ??= new LayerForwarder(kind);
    const packet = this.#forwarder.forward(layer, rtp, vp8, wanted, nowMs);
    if (packet) {
      this.#deliver({
        // A copy: the packet buffer must not be transferred away.
        payload: new Uint8Array(packet.payload),
        sequenceNumber: packet.header.sequenceNumber,
        timestamp: packet.header.timestamp,
        marker: packet.header.marker,
      });
    }
    return this.#forwarder.layer !== wanted;
  }

  /** Idempotent; reports to the owner (runtime) once. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#onClose(this);
  }
}
