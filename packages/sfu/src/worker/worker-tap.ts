import type { RtpPacket } from 'werift';
import type { TapPacket } from '../channel/messages';

/**
 * A server-side listener on one producer's received RTP (live captions decode the audio). It sees
 * what consumers would get: nothing while the producer is paused (a muted microphone).
 */
export class WorkerTap {
  readonly id: string;
  readonly #deliver: (packet: TapPacket) => void;
  readonly #onClose: (tap: WorkerTap) => void;
  #closed = false;

  constructor(id: string, deliver: (packet: TapPacket) => void, onClose: (tap: WorkerTap) => void) {
    this.id = id;
    this.#deliver = deliver;
    this.#onClose = onClose;
  }

  send(rtp: RtpPacket): void {
    if (this.#closed) return;
    this.#deliver({
      // A copy: werift reuses nothing, but the packet buffer must not be transferred away.
      payload: new Uint8Array(rtp.payload),
      sequenceNumber: rtp.header.sequenceNumber,
      timestamp: rtp.header.timestamp,
    });
  }

  /** Idempotent; reports to the owner (runtime) once. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#onClose(this);
  }
}
