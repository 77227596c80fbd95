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
 *
 * What arrives is tracked here (`trackArrival`), not by werift's `addPacket`: werift compares
 * 16-bit sequence numbers as plain integers, so once a stream wraps past 65535 a packet lost just
 * before the wrap left its highest number above every later one, and it detected no loss on that
 * stream for the next 65,536 packets (11 minutes of video); a gap it did see was filled one
 * number at a time, thousands for a jump. Here numbers compare in RFC 3550 §A.1 serial
 * arithmetic, a gap marks at most LOST_SIZE numbers, and entries further behind are dropped.
 * Re-check on werift upgrades (`RTCRtpReceiver.nack`, `NackHandler`).
 */
import type { RTCRtpReceiver, RtpPacket } from 'werift';
import { seqDiff } from '../rtp-sequence';

/** werift 0.24.4's NackHandler, as used here. */
interface NackHandlerInternals {
  _lost: Record<number, number>;
  newEstSeqNum: number;
  mediaSourceSsrc: number | undefined;
  addPacket(packet: RtpPacket): void;
  setLost(seq: number, count: number): void;
  close(): void;
  onPacketLost: {
    subscribe(listener: (nack: unknown) => void): unknown;
    execute(nack: unknown): void;
  };
}

type NackHandlerClass = new (receiver: unknown) => NackHandlerInternals;

/** At most this many SSRCs per receiver (three layers, with room for a publisher's restart). */
const MAX_SSRCS = 8;
/** werift's bound on what is asked for: missing numbers further behind the newest are dropped. */
export const LOST_SIZE = 150;

/**
 * Packet `seq` of `ssrc` arrived at `h` (which has seen a packet before): a repair stops being
 * asked for; a number ahead of the newest (RFC 3550 §A.1: by less than 2^15) makes the numbers
 * skipped missing, at most LOST_SIZE of them; an older number or a copy changes nothing.
 */
const trackArrival = (h: NackHandlerInternals, ssrc: number, seq: number): void => {
  h.mediaSourceSsrc = ssrc;
  if (h._lost[seq] !== undefined) {
    delete h._lost[seq];
    return;
  }
  const ahead = seqDiff(seq, h.newEstSeqNum);
  if (ahead <= 0) return;
  for (let i = Math.max(1, ahead - LOST_SIZE); i < ahead; i++) {
    h.setLost((h.newEstSeqNum + i) & 0xffff, 1);
  }
  h.newEstSeqNum = seq;
  if (ahead > 1) {
    for (const key of Object.keys(h._lost)) {
      if (seqDiff(seq, Number(key)) > LOST_SIZE) delete h._lost[Number(key)];
    }
  }
};

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
    const { ssrc, sequenceNumber } = packet.header;
    const known = this.#handlers.get(ssrc);
    if (known !== undefined) {
      trackArrival(known, ssrc, sequenceNumber);
      return;
    }
    // a stream's first packet: the newest so far, nothing missing yet
    const h = this.#handlerFor(ssrc);
    h.mediaSourceSsrc = ssrc;
    h.newEstSeqNum = sequenceNumber;
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
