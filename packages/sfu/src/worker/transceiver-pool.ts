import type { RTCPeerConnection, RTCRtpTransceiver } from 'werift';
import type { MediaKind } from '../channel/messages';

/**
 * Retired m-lines of one subscribe transport, and their reuse by new consumers.
 *
 * A closed consumer's transceiver is offered `a=inactive`. Once the client has answered an offer
 * that carried it inactive, its m-line may carry another stream of the same kind: the new
 * consumer's transceiver (its own sender, so a fresh SSRC) takes the retired one's place, mid and
 * m-line index (JSEP, RFC 8829 §5.2.2: an m-section keeps its mid and position in re-offers).
 * Without this every consumer adds an m-line for the life of the transport.
 */
export class TransceiverPool {
  readonly #pc: RTCPeerConnection;
  /** Retired, but the client may not have seen them inactive yet. */
  readonly #retiring = new Set<RTCRtpTransceiver>();
  /** Inactive in the offer awaiting an answer. */
  #offered: RTCRtpTransceiver[] = [];
  /** Inactive in a completed offer/answer round: free for a new consumer. */
  readonly #reusable: RTCRtpTransceiver[] = [];

  constructor(pc: RTCPeerConnection) {
    this.#pc = pc;
  }

  /** Their sum is the count of m-lines no consumer uses. */
  get sizes(): { retiring: number; reusable: number } {
    return { retiring: this.#retiring.size, reusable: this.#reusable.length };
  }

  /** A consumer closed and set its transceiver inactive. */
  retire(transceiver: RTCRtpTransceiver): void {
    // werift's own addTransceiver() would recycle an inactive transceiver that never sent, of
    // any kind (an m-line cannot change kind); the reuse here is ours alone.
    transceiver.usedForSender = true;
    this.#retiring.add(transceiver);
  }

  /**
   * Call before werift builds an offer: what is retired now is inactive in that offer. A
   * consumer closing while the offer is being built is left for the next round.
   */
  offering(): void {
    this.#offered = [...this.#retiring].filter((t) => t.direction === 'inactive');
  }

  /** The answer to the last offer was applied: its inactive m-lines are free. */
  answered(): void {
    for (const transceiver of this.#offered) {
      if (this.#retiring.delete(transceiver)) this.#reusable.push(transceiver);
    }
    this.#offered = [];
  }

  /**
   * A new sendonly transceiver for `kind`, on a free m-line of that kind when there is one
   * (lowest m-line first), otherwise on a new m-line at the end of the next offer.
   */
  addTransceiver(kind: MediaKind): RTCRtpTransceiver {
    const fresh = this.#pc.addTransceiver(kind, { direction: 'sendonly' });
    // werift 0.24.4's addTransceiver() replaces, in its list, any transceiver whose negotiated
    // direction is inactive and that is not marked as a sender. A consumer that took a free
    // m-line while an offer was out is answered "inactive" by that offer's answer: unmarked, the
    // next consumer (of any kind) would take its place and mid, and the answer after that would
    // make werift add a recvonly transceiver that shadows a live consumer in every later offer.
    fresh.usedForSender = true;
    const index = this.#lowestFree(kind);
    if (index === -1) return fresh;
    const [retired] = this.#reusable.splice(index, 1);
    if (!retired) return fresh;
    // werift 0.24.4 hands out its live transceiver list; offers and answers find a transceiver
    // by mid and m-line index, so the new one takes both and the retired one leaves the list.
    const list = this.#pc.getTransceivers();
    const at = list.indexOf(retired);
    const freshAt = list.indexOf(fresh);
    if (at === -1 || freshAt === -1) return fresh;
    list.splice(freshAt, 1);
    list[at] = fresh;
    fresh.mid = retired.mid;
    fresh.mLineIndex = retired.mLineIndex;
    this.#forgetSender(retired);
    return fresh;
  }

  #lowestFree(kind: MediaKind): number {
    let best = -1;
    for (const [i, t] of this.#reusable.entries()) {
      if (t.kind !== kind) continue;
      const bestLine = this.#reusable[best]?.mLineIndex ?? Infinity;
      if (best === -1 || (t.mLineIndex ?? Infinity) < bestLine) best = i;
    }
    return best;
  }

  /**
   * werift's RTCP router keeps every sender it ever registered (with its NACK cache); the
   * retired sender is stopped, so drop it. Private in werift's types, hence the guarded cast.
   */
  #forgetSender(retired: RTCRtpTransceiver): void {
    const router = (this.#pc as unknown as { router?: { ssrcTable?: Record<number, unknown> } })
      .router;
    const table = router?.ssrcTable;
    if (!table) return;
    for (const ssrc of [retired.sender.ssrc, retired.sender.rtxSsrc]) {
      if (table[ssrc] === retired.sender) delete table[ssrc];
    }
  }
}
