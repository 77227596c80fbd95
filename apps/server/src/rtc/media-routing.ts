import { ConclaveError } from '@conclave/protocol';
import type { ParticipantId, PublishTrack, SubscribeTrack, TileSize } from '@conclave/protocol';
import {
  SfuError,
  type ConsumerStats,
  type PayloadSample,
  type Producer,
  type ProducerStats,
  type Router,
  type TransportStats,
} from '@conclave/sfu';
import type { Logger } from '../logger';
import type { RoomParticipant } from './participant';
import { SubscriptionNegotiator } from './subscription-negotiator';

export interface MediaInspection {
  participantId: ParticipantId;
  displayName: string;
  source: PublishTrack['source'];
  kind: 'audio' | 'video';
  /** Empty when the SFU could not give them; `samplesError` says why. */
  samples: PayloadSample[];
  /** Why there are no samples (e.g. SFU_ERR_INSPECTION_DISABLED: the server runs without
   * media.inspection), or null. */
  samplesError: SfuError | null;
  stats: ProducerStats;
}

export interface SubscriberMediaStats {
  tracks: {
    participantId: ParticipantId;
    source: PublishTrack['source'];
    kind: 'audio' | 'video';
    mid: string;
    stats: ConsumerStats;
  }[];
  downlink: TransportStats | null;
}

export interface MediaRoutingDeps {
  /** The router of the room `p` is in (main room or a breakout room). */
  routerFor: (p: RoomParticipant) => Router;
  logger: Logger;
  participants: () => Iterable<RoomParticipant>;
}

/**
 * Who receives whose media in one room: subscribe transports and their negotiation, the fan-out
 * of each new producer, and the rule that held participants get no media in or out.
 */
export class MediaRouting {
  readonly #deps: MediaRoutingDeps;

  constructor(deps: MediaRoutingDeps) {
    this.#deps = deps;
  }

  async setUpSubscriber(p: RoomParticipant): Promise<void> {
    const transport = await this.#deps.routerFor(p).createTransport({ direction: 'subscribe' });
    p.subscribeTransport = transport;
    p.negotiator = new SubscriptionNegotiator({
      transport,
      logger: this.#deps.logger,
      sendOffer: (sdp, tracks, offerId) =>
        p.peer?.send({ type: 'subscribe.offer', offerId, sdp, tracks }),
      describeTracks: () => this.#describeConsumed(p),
    });
    let added = 0;
    for (const other of this.#deps.participants()) {
      if (!this.#connected(p, other)) continue;
      for (const track of other.published.values()) {
        if (await this.#consume(p, other.id, track.producer, track.source)) added++;
      }
    }
    if (added > 0) p.negotiator.requestOffer();
  }

  /** Two participants exchange media when neither is held and they are in the same room. */
  #connected(a: RoomParticipant, b: RoomParticipant): boolean {
    return a.id !== b.id && !a.held && !b.held && a.breakoutId === b.breakoutId;
  }

  #describeConsumed(p: RoomParticipant): SubscribeTrack[] {
    const tracks: SubscribeTrack[] = [];
    for (const c of p.consumed.values()) {
      if (c.consumer.closed || !c.consumer.mid) continue;
      tracks.push({
        mid: c.consumer.mid,
        participantId: c.participantId,
        kind: c.consumer.kind,
        source: c.source,
      });
    }
    return tracks;
  }

  async #consume(
    subscriber: RoomParticipant,
    publisherId: ParticipantId,
    producer: Producer,
    source: PublishTrack['source'],
  ): Promise<boolean> {
    const transport = subscriber.subscribeTransport;
    if (!transport || producer.closed) return false;
    const consumer = await transport.consume(producer.id);
    subscriber.consumed.set(consumer.id, { consumer, participantId: publisherId, source });
    consumer.on('producerclose', () => {
      subscriber.consumed.delete(consumer.id);
      subscriber.negotiator?.requestOffer();
    });
    return true;
  }

  /**
   * Answers a publish offer; each new track becomes a producer that everyone else (not held)
   * consumes. `onProducerClosed` runs when a re-offer stops a track.
   */
  async publish(
    p: RoomParticipant,
    sdp: string,
    tracks: PublishTrack[],
    onProducerClosed: () => void,
  ): Promise<{ answer: string; screenChanged: boolean }> {
    if (!p.publishTransport)
      p.publishTransport = await this.#deps.routerFor(p).createTransport({ direction: 'publish' });
    const transport = p.publishTransport;
    const byMid = new Map(tracks.map((t) => [t.mid, t]));
    const fresh: Producer[] = [];
    const onProducer = (producer: Producer) => fresh.push(producer);
    transport.on('producer', onProducer);
    let answer: string;
    try {
      answer = await transport.handleOffer(sdp);
    } catch (err) {
      this.#deps.logger.warn({ err }, 'publish offer rejected');
      throw new ConclaveError('MEDIA_NEGOTIATION_FAILED');
    } finally {
      transport.off('producer', onProducer);
    }
    let screenChanged = false;
    for (const producer of fresh) {
      const source =
        byMid.get(producer.mid)?.source ?? (producer.kind === 'audio' ? 'microphone' : 'camera');
      screenChanged ||= source === 'screen';
      p.published.set(producer.id, { producer, source, pausedByHost: false });
      producer.on('close', () => {
        if (p.published.delete(producer.id)) onProducerClosed();
      });
      // dynacast: the publisher stops encoding layers nobody's tile needs (sfu layer-demand.ts)
      if (source === 'camera')
        producer.on('layersneeded', (layers) =>
          p.peer?.send({ type: 'media.publishLayers', source, layers: Math.min(layers, 3) }),
        );
      if ((source === 'microphone' && p.audioMuted) || (source === 'screen' && !p.screenSharing))
        await producer.pause();
      if (p.held) continue;
      for (const other of this.#deps.participants()) {
        if (!this.#connected(p, other)) continue;
        if (await this.#consume(other, p.id, producer, source)) other.negotiator?.requestOffer();
      }
    }
    return { answer, screenChanged };
  }

  /** The client's answer to the last subscribe offer. */
  async handleSubscribeAnswer(p: RoomParticipant, sdp: string, offerId: string): Promise<void> {
    if (!p.negotiator)
      throw new ConclaveError('MEDIA_NEGOTIATION_FAILED', 'No subscribe offer is pending.');
    try {
      await p.negotiator.handleAnswer(sdp, offerId);
    } catch (err) {
      if (err instanceof ConclaveError) throw err;
      this.#deps.logger.warn({ err }, 'subscribe answer rejected');
      throw new ConclaveError('MEDIA_NEGOTIATION_FAILED');
    }
  }

  /** A fresh subscribe transport for `p` (its old one failed on the client side). */
  async resetSubscriber(p: RoomParticipant): Promise<void> {
    p.negotiator?.close();
    p.subscribeTransport?.close();
    p.consumed.clear();
    await this.setUpSubscriber(p);
    p.negotiator?.restart();
  }

  /** A participant let in after being held: media both ways with everyone else. */
  async connectReleased(p: RoomParticipant): Promise<void> {
    for (const other of this.#deps.participants()) {
      if (!this.#connected(p, other)) continue;
      for (const track of other.published.values())
        await this.#consume(p, other.id, track.producer, track.source);
      let added = 0;
      for (const track of p.published.values()) {
        if (await this.#consume(other, p.id, track.producer, track.source)) added++;
      }
      if (added > 0) other.negotiator?.requestOffer();
    }
    p.negotiator?.requestOffer();
  }

  /** Keyframes for what `p` receives and/or from `p` itself (the SFU rate-limits per publisher). */
  async requestKeyFrames(p: RoomParticipant, scope: 'received' | 'own' | 'all'): Promise<void> {
    const consumers = [];
    if (scope !== 'own') consumers.push(...[...p.consumed.values()].map((c) => c.consumer));
    if (scope !== 'received') {
      // Any one consumer of each of p's producers reaches p's encoder.
      for (const track of p.published.values()) {
        const first = [...track.producer.consumers].find((c) => !c.closed);
        if (first) consumers.push(first);
      }
    }
    await Promise.all(
      consumers.filter((c) => !c.closed).map((c) => c.requestKeyFrame().catch(() => undefined)),
    );
  }

  /**
   * The client's rendered size of each remote video (by subscribe mid): the SFU picks the layer.
   * Mids that are not `p`'s video consumers are ignored (a stale report after renegotiation).
   */
  async setTileSizes(p: RoomParticipant, tiles: TileSize[]): Promise<void> {
    const byMid = new Map(tiles.map((t) => [t.mid, t]));
    const updates: Promise<void>[] = [];
    for (const { consumer } of p.consumed.values()) {
      const tile = byMid.get(consumer.mid);
      if (!tile || consumer.closed || consumer.kind !== 'video') continue;
      updates.push(
        consumer
          .setPreferredSize({ width: tile.width, height: tile.height })
          .catch(() => undefined),
      );
    }
    await Promise.all(updates);
  }

  /** What the SFU sends `p`: per consumed track its layer and counters, and the downlink. */
  async subscriberStats(p: RoomParticipant): Promise<SubscriberMediaStats> {
    const transport = p.subscribeTransport;
    const tracks = await Promise.all(
      [...p.consumed.values()]
        .filter((c) => !c.consumer.closed)
        .map(async (c) => ({
          participantId: c.participantId,
          source: c.source,
          kind: c.consumer.kind,
          mid: c.consumer.mid,
          stats: await c.consumer.getStats(),
        })),
    );
    const downlink = transport && !transport.closed ? await transport.getStats() : null;
    return { tracks, downlink };
  }

  /**
   * What the SFU receives from each publisher and its counters. The samples need
   * media.inspection; without it (or on another refusal of the SFU) a track says why in
   * `samplesError` rather than looking like a publisher that sends nothing.
   */
  async inspect(): Promise<MediaInspection[]> {
    const out: MediaInspection[] = [];
    for (const p of this.#deps.participants()) {
      for (const t of p.published.values()) {
        const [inspected, stats] = await Promise.all([
          inspectPayloads(t.producer),
          t.producer.getStats(),
        ]);
        out.push({
          participantId: p.id,
          displayName: p.displayName,
          source: t.source,
          kind: t.producer.kind,
          samples: inspected.samples,
          samplesError: inspected.error,
          stats,
        });
      }
    }
    return out;
  }
}

/** The SFU's catalogued refusal (typed) is reported with the track; anything else is a bug. */
const inspectPayloads = (
  producer: Producer,
): Promise<{ samples: PayloadSample[]; error: SfuError | null }> =>
  producer.inspectPayloads().then(
    (samples) => ({ samples, error: null }),
    (err: unknown) => {
      if (err instanceof SfuError) return { samples: [], error: err };
      throw err;
    },
  );
