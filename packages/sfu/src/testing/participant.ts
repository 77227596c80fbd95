/**
 * A meeting participant for tests and the bench: a werift publisher and subscriber and their two
 * SFU transports, negotiated the way apps/server is expected to do it.
 */
import type { Consumer } from '../consumer';
import type { Producer } from '../producer';
import type { Router } from '../router';
import type { Transport } from '../transport';
import { FakePublisher, FakeSubscriber } from './fake-participant';

export class Participant {
  readonly publisher: FakePublisher;
  readonly subscriber: FakeSubscriber;
  readonly producers: Producer[] = [];
  readonly consumers: Consumer[] = [];
  #pub: Transport | undefined;
  #sub: Transport | undefined;

  /**
   * `rtx`: the subscriber accepts RTX (RFC 4588) as Chromium does; werift's default does not.
   * `transportCc`: the publisher sends transport-wide sequence numbers, as browsers do.
   * `publisherRtx`: the publisher offers RTX and answers NACKs on it, as browsers do.
   */
  constructor(
    options: {
      audio?: boolean;
      video?: boolean;
      rtx?: boolean;
      transportCc?: boolean;
      publisherRtx?: boolean;
    } = {},
  ) {
    this.publisher = new FakePublisher({ ...options, rtx: options.publisherRtx });
    this.subscriber = new FakeSubscriber({ rtx: options.rtx });
  }

  get pubTransport(): Transport {
    if (!this.#pub) throw new Error('not joined');
    return this.#pub;
  }

  get subTransport(): Transport {
    if (!this.#sub) throw new Error('not joined');
    return this.#sub;
  }

  /** Creates both transports and publishes (offer/answer on the publish transport). */
  async join(router: Router, { waitConnected = true } = {}): Promise<void> {
    this.#pub = await router.createTransport({ direction: 'publish' });
    this.#sub = await router.createTransport({ direction: 'subscribe' });
    this.#pub.on('producer', (p) => this.producers.push(p));
    const answer = await this.#pub.handleOffer(await this.publisher.createOffer());
    await this.publisher.handleAnswer(answer);
    if (waitConnected) await this.publisher.waitConnected();
  }

  /** Consumes the given producers and renegotiates the subscribe transport. */
  async consume(
    producers: readonly Producer[],
    { waitConnected = true } = {},
  ): Promise<Consumer[]> {
    const added: Consumer[] = [];
    for (const producer of producers) added.push(await this.subTransport.consume(producer.id));
    this.consumers.push(...added);
    await this.renegotiate();
    if (waitConnected) await this.subscriber.waitConnected();
    return added;
  }

  async renegotiate(): Promise<void> {
    const offer = await this.subTransport.createOffer();
    await this.subTransport.handleAnswer(await this.subscriber.handleOffer(offer));
  }

  /** What the server does when a participant leaves. */
  async leave(): Promise<void> {
    this.#pub?.close();
    this.#sub?.close();
    this.publisher.stop();
    await Promise.all([this.publisher.close(), this.subscriber.close()]);
  }
}
