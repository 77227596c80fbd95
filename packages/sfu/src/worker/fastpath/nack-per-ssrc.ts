/**
 * One Generic NACK generator (RFC 4585 §6.2.1) per received SSRC instead of werift 0.24.4's one
 * per receiver.
 *
 * werift's `RTCRtpReceiver` has a single `NackHandler`: it tracks one highest sequence number
 * and sends every NACK for the SSRC of the last packet added. With simulcast, one receiver takes
 * two or three layers with unrelated sequence numbers, so each packet of one layer looked like a
 * gap of thousands in the other: the handler marked up to 150 bogus losses and NACKed them every
 * 5 ms for whichever layer came last, and the publisher retransmitted packets that were never
 * lost while real losses went unasked. Here `receiver.nack` becomes a dispatcher with werift's
 * handler per SSRC (same class, same timing: ./nack-loop.ts applies to it), so everything that
 * feeds it (werift's `handleRTP`, the direct route, RTX repairs) reaches the right sequence.
 * Re-check on werift upgrades (`RTCRtpReceiver.nack`, `NackHandler`).
 */
import type { RTCRtpReceiver, RtpPacket } from 'werift';

/** werift 0.24.4's NackHandler, as used here. */
interface NackHandlerInternals {
  _lost: Record<number, number>;
  addPacket(packet: RtpPacket): void;
  close(): void;
  onPacketLost: {
    subscribe(listener: (nack: unknown) => void): unknown;
    execute(nack: unknown): void;
  };
}

type NackHandlerClass = new (receiver: unknown) => NackHandlerInternals;

/** At most this many SSRCs per receiver (three layers, with room for a publisher's restart). */
const MAX_SSRCS = 8;

/** What `receiver.nack` becomes: werift's calls dispatched per SSRC. */
export class NackBySsrc {
  readonly #receiver: unknown;
  readonly #Handler: NackHandlerClass;
  readonly #handlers = new Map<number, NackHandlerInternals>();
  /** werift's receiver re-publishes this event (its `onPacketLost`): every handler feeds it. */
  readonly onPacketLost: NackHandlerInternals['onPacketLost'];
  #closed = false;

  constructor(receiver: unknown, first: NackHandlerInternals) {
    this.#receiver = receiver;
    this.#Handler = first.constructor as NackHandlerClass;
    this.onPacketLost = first.onPacketLost;
    first.close();
  }

  addPacket(packet: RtpPacket): void {
    if (this.#closed) return;
    this.#handlerFor(packet.header.ssrc).addPacket(packet);
  }

  /** Whether sequence number `seq` of `ssrc` is still asked for. */
  isMissing(ssrc: number, seq: number): boolean {
    return this.#handlers.get(ssrc)?._lost[seq] !== undefined;
  }

  /** The sequence numbers still asked for, per SSRC (diagnostics and tests). */
  missing(): Map<number, number[]> {
    const out = new Map<number, number[]>();
    for (const [ssrc, h] of this.#handlers) out.set(ssrc, Object.keys(h._lost).map(Number));
    return out;
  }

  close(): void {
    this.#closed = true;
    for (const h of this.#handlers.values()) h.close();
    this.#handlers.clear();
  }

  #handlerFor(ssrc: number): NackHandlerInternals {
    let h = this.#handlers.get(ssrc);
    if (h === undefined) {
      if (this.#handlers.size >= MAX_SSRCS) {
        const [oldest, handler] = this.#handlers.entries().next().value!;
        handler.close();
        this.#handlers.delete(oldest);
      }
      h = new this.#Handler(this.#receiver);
      h.onPacketLost.subscribe((nack) => this.onPacketLost.execute(nack));
      this.#handlers.set(ssrc, h);
    }
    return h;
  }
}

/** Replaces `receiver.nack` with a NackBySsrc (idempotent). */
export const splitNackBySsrc = (receiver: RTCRtpReceiver): NackBySsrc | undefined => {
  const r = receiver as unknown as { nack: unknown };
  if (r.nack instanceof NackBySsrc) return r.nack;
  const first = r.nack as Partial<NackHandlerInternals> | undefined;
  if (typeof first?.addPacket !== 'function' || typeof first._lost !== 'object') return undefined;
  const split = new NackBySsrc(receiver, first as NackHandlerInternals);
  r.nack = split;
  return split;
};
