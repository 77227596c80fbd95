/**
 * Which RTP packets of one received stream arrived already: a window of the most recent 16-bit
 * sequence numbers (RFC 3550 §5.1) of its SSRC, one bit each.
 *
 * A sequence number can reach a producer twice: a publisher's RTX stream (RFC 4588 §4) resends
 * packets that did arrive (libwebrtc pads its bandwidth probes with recent packets, often one
 * frame's first packet many times; a NACK answered twice; a repair overtaken by the late
 * original). RFC 3550 §A.1 leaves duplicates to the receiver; here a copy is dropped before it is
 * forwarded or counted. A packet lost and then repaired was never marked, so its repair passes
 * once.
 *
 * Sequence numbers compare in serial arithmetic (RFC 1982, as RFC 3550 §A.1): ahead of the
 * highest by less than 2^15 is newer. 2^16 is a multiple of the window, so `seq mod WINDOW` names
 * a bit across the wrap. A packet older than the window cannot be told from a copy; like the
 * "bad_seq" rule of RFC 3550 §A.1 it is dropped, unless the packet after it follows it (the
 * sender restarted its sequence numbers): then the window starts over there. A new SSRC starts it
 * over too.
 */
import { seqDiff } from './rtp-sequence';

export const DUPLICATE_WINDOW = 1024;
const WORDS = DUPLICATE_WINDOW / 32;
const MASK = DUPLICATE_WINDOW - 1;

export class DuplicateFilter {
  /** Bit (seq mod WINDOW) is set when that sequence number, within the window, arrived. */
  readonly #bits = new Uint32Array(WORDS);
  #ssrc = -1;
  #highest = 0;
  /** After a packet older than the window: the sequence number that would restart it there. */
  #restartAt = -1;

  /** Whether packet `seq` of `ssrc` arrives for the first time (then it is marked as arrived). */
  firstArrival(ssrc: number, seq: number): boolean {
    if (ssrc !== this.#ssrc) {
      this.#restart(ssrc, seq);
      return true;
    }
    const ahead = seqDiff(seq, this.#highest);
    if (ahead === 0) return false;
    if (ahead > 0) {
      this.#advance(seq, ahead);
      return true;
    }
    if (-ahead < DUPLICATE_WINDOW) {
      const word = (seq & MASK) >>> 5;
      const bit = 1 << (seq & 31);
      if ((this.#bits[word]! & bit) !== 0) return false;
      this.#bits[word] = this.#bits[word]! | bit;
      return true;
    }
    // RFC 3550 §A.1: too far behind to tell; only its successor right after it restarts the window
    if (seq === this.#restartAt) {
      this.#restart(ssrc, seq);
      return true;
    }
    this.#restartAt = (seq + 1) & 0xffff;
    return false;
  }

  #restart(ssrc: number, seq: number): void {
    this.#ssrc = ssrc;
    this.#bits.fill(0);
    this.#highest = seq;
    this.#restartAt = -1;
    this.#mark(seq);
  }

  /** `seq` is `ahead` (1 .. 2^15 - 1) past the highest: the numbers skipped have not arrived. */
  #advance(seq: number, ahead: number): void {
    if (ahead >= DUPLICATE_WINDOW) {
      this.#bits.fill(0);
    } else {
      for (let s = this.#highest + 1; s !== this.#highest + ahead; s++) this.#clear(s);
    }
    this.#highest = seq;
    this.#mark(seq);
  }

  #mark(seq: number): void {
    const word = (seq & MASK) >>> 5;
    this.#bits[word] = this.#bits[word]! | (1 << (seq & 31));
  }

  #clear(seq: number): void {
    const word = (seq & MASK) >>> 5;
    this.#bits[word] = this.#bits[word]! & ~(1 << (seq & 31));
  }
}
