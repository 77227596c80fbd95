import { randomUUID } from 'node:crypto';
import { ConclaveError } from '@conclave/protocol';
import type { SubscribeTrack } from '@conclave/protocol';
import type { Transport } from '@conclave/sfu';
import type { Logger } from '../logger';

export interface NegotiatorDeps {
  transport: Transport;
  /** Sends `subscribe.offer` to the client. */
  sendOffer: (sdp: string, tracks: SubscribeTrack[], offerId: string) => void;
  /** The current mid -> person/source map, read right after each offer is made. */
  describeTracks: () => SubscribeTrack[];
  logger: Logger;
  answerTimeoutMs?: number;
}

/**
 * Serialises offers on a subscribe transport (the server is always the offerer there, so there is
 * no glare): at most one offer in flight; changes during it make exactly one follow-up offer.
 * Each offer has its own id and only an answer carrying it is applied: an answer the client made
 * for an earlier offer, or for a transport that was replaced (a breakout move rebuilds both ends),
 * would otherwise be applied to the wrong offer and leave m-lines the client never agreed to.
 */
export class SubscriptionNegotiator {
  readonly #deps: NegotiatorDeps;
  /** Unique per transport, so ids of a replaced transport's offers never match this one's. */
  readonly #idPrefix = randomUUID().slice(0, 8);
  #offers = 0;
  /** The id of the offer awaiting its answer. */
  #pendingId: string | undefined;
  #state: 'idle' | 'offering' | 'awaiting-answer' = 'idle';
  #dirty = false;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  /** The client has said it is ready for offers (it has its subscribe PeerConnection). */
  #ready = false;

  constructor(deps: NegotiatorDeps) {
    this.#deps = deps;
  }

  /** Something changed (a consumer added or removed): the client needs a new offer. */
  requestOffer(): void {
    if (this.#closed) return;
    if (!this.#ready || this.#state !== 'idle') {
      this.#dirty = true;
      return;
    }
    void this.#offer();
  }

  /** Applies the answer to offer `offerId`; an answer to any other offer is refused, unapplied. */
  async handleAnswer(sdp: string, offerId: string): Promise<void> {
    if (this.#state !== 'awaiting-answer' || offerId !== this.#pendingId) {
      throw new ConclaveError('SUBSCRIBE_OFFER_REPLACED');
    }
    this.#pendingId = undefined;
    clearTimeout(this.#timer);
    try {
      await this.#deps.transport.handleAnswer(sdp);
    } finally {
      this.#settle();
    }
  }

  /**
   * The client is ready for offers: first after it made its subscribe PeerConnection, again
   * after a failure on its side. Offers only when there is something to receive.
   */
  restart(): void {
    clearTimeout(this.#timer);
    this.#ready = true;
    this.#state = 'idle';
    this.#pendingId = undefined;
    const wanted = this.#dirty || this.#deps.describeTracks().length > 0;
    this.#dirty = false;
    if (wanted) this.requestOffer();
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
  }

  async #offer(): Promise<void> {
    this.#state = 'offering';
    this.#dirty = false;
    try {
      const sdp = await this.#deps.transport.createOffer();
      if (this.#closed) return;
      this.#state = 'awaiting-answer';
      const offerId = `${this.#idPrefix}-${++this.#offers}`;
      this.#pendingId = offerId;
      this.#deps.sendOffer(sdp, this.#deps.describeTracks(), offerId);
      this.#timer = setTimeout(() => {
        this.#deps.logger.warn('subscribe answer timed out; offering again');
        this.#state = 'idle';
        this.#pendingId = undefined;
        this.requestOffer();
      }, this.#deps.answerTimeoutMs ?? 15_000);
      this.#timer.unref();
    } catch (err) {
      if (this.#closed) return;
      this.#deps.logger.error({ err }, 'subscribe offer failed');
      this.#settle();
    }
  }

  #settle(): void {
    this.#state = 'idle';
    if (this.#dirty) this.requestOffer();
  }
}
