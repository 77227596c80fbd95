import type { RTCPeerConnection } from 'werift';
import type {
  Request,
  RequestKind,
  RequestResult,
  WorkerDump,
  WorkerMessage,
  WorkerSettings,
} from '../channel/messages';
import { validateRequest } from '../channel/messages';
import { SfuError, toWireError } from '../errors';
import { peerConfig, type PeerConnectionConfig } from './codecs';
import { inboundDrops } from './fastpath/inbound';
import { receivePath } from './fastpath/media-routes';
import { nativeReceive } from './fastpath/native-udp-receive';
import { nativeSend } from './fastpath/native-udp-send';
import type { WorkerConsumer } from './worker-consumer';
import type { WorkerProducer } from './worker-producer';
import { WorkerTap } from './worker-tap';
import { WorkerRouter } from './worker-router';
import { WorkerTransport, type WorkerTransportHooks } from './worker-transport';

type Post = (message: WorkerMessage) => void;

/** Counts this thread's open UDP sockets (each worker thread has its own event loop). */
const countUdpSockets = (): number =>
  process.getActiveResourcesInfo().filter((name) => name === 'UDPWrap' || name === 'UDPWRAP')
    .length;

/**
 * The worker-side request handler: owns every werift object of one media worker and answers the
 * main thread's requests. Independent of worker_threads so it can be unit tested in-process.
 */
export class WorkerRuntime {
  readonly #post: Post;
  readonly #settings: WorkerSettings;
  readonly #peerConfig: Record<'publish' | 'subscribe', PeerConnectionConfig>;
  readonly #routers = new Map<string, WorkerRouter>();
  readonly #transports = new Map<string, WorkerTransport>();
  readonly #producers = new Map<string, WorkerProducer>();
  readonly #consumers = new Map<string, WorkerConsumer>();
  readonly #taps = new Map<string, WorkerTap>();
  readonly #livePeerConnections = new Set<RTCPeerConnection>();
  readonly #hooks: WorkerTransportHooks;

  constructor(settings: WorkerSettings, post: Post) {
    this.#settings = settings;
    this.#post = post;
    this.#peerConfig = {
      publish: peerConfig(settings, 'publish'),
      subscribe: peerConfig(settings, 'subscribe'),
    };
    this.#hooks = {
      onProducer: (transport, producer) => {
        this.#producers.set(producer.id, producer);
        this.#routers.get(transport.routerId)?.producers.set(producer.id, producer);
        this.#post({
          kind: 'event.producer',
          transportId: transport.id,
          producer: producer.info(),
        });
      },
      onProducerLayersNeeded: (producer, layers) => {
        this.#post({ kind: 'event.producerlayers', producerId: producer.id, layers });
      },
      onProducerClosedRemotely: (producer) => {
        this.#post({ kind: 'event.producerclose', producerId: producer.id });
      },
      onProducerClosed: (producer) => {
        this.#producers.delete(producer.id);
        for (const router of this.#routers.values()) router.producers.delete(producer.id);
      },
      onConsumerClosed: (consumer) => {
        this.#consumers.delete(consumer.id);
      },
      onConnectionState: (transport, state) => {
        this.#post({ kind: 'event.connectionstatechange', transportId: transport.id, state });
      },
      onPeerConnectionClosed: (pc) => {
        this.#livePeerConnections.delete(pc);
      },
      onClose: (transport) => {
        this.#transports.delete(transport.id);
        this.#routers.get(transport.routerId)?.transports.delete(transport.id);
      },
    };
  }

  /** Entry point for every message from the main thread. Never throws. */
  async handleMessage(raw: unknown): Promise<void> {
    const validation = validateRequest(raw);
    if (!validation.ok) {
      this.#post({
        kind: 'error',
        id: validation.id,
        error: { code: 'SFU_ERR_INVALID_MESSAGE', detail: validation.detail },
      });
      return;
    }
    const { request } = validation;
    try {
      const result = await this.#dispatch(request);
      this.#post({ kind: 'result', id: request.id, result });
    } catch (err) {
      this.#post({ kind: 'error', id: request.id, error: toWireError(err) });
    }
  }

  dump(): WorkerDump {
    return {
      routers: this.#routers.size,
      transports: this.#transports.size,
      producers: this.#producers.size,
      consumers: this.#consumers.size,
      taps: this.#taps.size,
      peerConnections: this.#livePeerConnections.size,
      udpSockets: countUdpSockets(),
      srtpDrops: inboundDrops(),
      rtpReceivePath: { ...receivePath },
      nativeReceive: { ...nativeReceive },
      nativeSend: { ...nativeSend },
    };
  }

  closeAll(): void {
    for (const router of [...this.#routers.values()]) router.close();
  }

  async #dispatch(request: Request): Promise<RequestResult<RequestKind>> {
    switch (request.kind) {
      case 'worker.dump':
        return this.dump();
      case 'worker.close':
        this.closeAll();
        await this.#waitForPeerConnections(2000);
        return null;
      case 'router.create': {
        if (this.#routers.has(request.routerId)) throw new SfuError('SFU_ERR_DUPLICATE_ID');
        const router = new WorkerRouter(request.routerId, (r) => this.#routers.delete(r.id));
        this.#routers.set(router.id, router);
        return null;
      }
      case 'router.close':
        this.#router(request.routerId).close();
        return null;
      case 'transport.create': {
        const router = this.#router(request.routerId);
        if (this.#transports.has(request.transportId)) throw new SfuError('SFU_ERR_DUPLICATE_ID');
        const transport = new WorkerTransport({
          id: request.transportId,
          routerId: router.id,
          direction: request.direction,
          peerConfig: this.#peerConfig[request.direction],
          keyframeRequestMinIntervalMs: this.#settings.keyframeRequestMinIntervalMs,
          subscriberKeyframeRequestMinIntervalMs:
            this.#settings.subscriberKeyframeRequestMinIntervalMs,
          inspection: this.#settings.inspection,
          hooks: this.#hooks,
        });
        this.#livePeerConnections.add(transport.pc);
        this.#transports.set(transport.id, transport);
        router.transports.set(transport.id, transport);
        return null;
      }
      case 'transport.close':
        this.#transport(request.transportId).close();
        return null;
      case 'transport.handleOffer':
        return { sdp: await this.#transport(request.transportId).handleOffer(request.sdp) };
      case 'transport.createOffer':
        return { sdp: await this.#transport(request.transportId).createOffer() };
      case 'transport.handleAnswer':
        await this.#transport(request.transportId).handleAnswer(request.sdp);
        return null;
      case 'transport.consume': {
        const transport = this.#transport(request.transportId);
        const producer = this.#routers.get(transport.routerId)?.producers.get(request.producerId);
        if (!producer) throw new SfuError('SFU_ERR_PRODUCER_NOT_FOUND', request.producerId);
        if (this.#consumers.has(request.consumerId)) throw new SfuError('SFU_ERR_DUPLICATE_ID');
        const consumer = transport.consume(request.consumerId, producer);
        this.#consumers.set(consumer.id, consumer);
        return consumer.info();
      }
      case 'producer.pause':
        this.#producer(request.producerId).pause();
        return null;
      case 'producer.resume':
        this.#producer(request.producerId).resume();
        return null;
      case 'producer.close':
        this.#producer(request.producerId).close();
        return null;
      case 'producer.getStats':
        return this.#producer(request.producerId).stats();
      case 'producer.inspectPayloads': {
        if (!this.#settings.inspection) throw new SfuError('SFU_ERR_INSPECTION_DISABLED');
        return this.#producer(request.producerId).inspectPayloads() ?? [];
      }
      case 'producer.createTap': {
        const producer = this.#producer(request.producerId);
        if (this.#taps.has(request.tapId)) throw new SfuError('SFU_ERR_DUPLICATE_ID');
        const tapId = request.tapId;
        const tap = new WorkerTap(
          tapId,
          (packet) => this.#post({ kind: 'event.tap.rtp', tapId, ...packet }),
          (closed) => {
            this.#taps.delete(closed.id);
            producer.removeTap(closed);
            this.#post({ kind: 'event.tapclose', tapId: closed.id });
          },
        );
        this.#taps.set(tapId, tap);
        producer.addTap(tap);
        return null;
      }
      case 'tap.close':
        // Idempotent: the tap may have closed with its producer already.
        this.#taps.get(request.tapId)?.close();
        return null;
      case 'consumer.close':
        this.#consumer(request.consumerId).close();
        return null;
      case 'producer.requestKeyFrame':
        this.#producer(request.producerId).requestKeyFrame();
        return null;
      case 'consumer.requestKeyFrame':
        this.#consumer(request.consumerId).requestKeyFrame();
        return null;
      case 'consumer.getStats':
        return this.#consumer(request.consumerId).stats();
      case 'consumer.setPreference': {
        const consumer = this.#consumer(request.consumerId);
        consumer.setPreference({ maxWidth: request.maxWidth, maxHeight: request.maxHeight });
        this.#transports.get(consumer.transportId)?.reallocate();
        return null;
      }
      case 'transport.getStats':
        return this.#transport(request.transportId).stats();
      default: {
        const unreachable: never = request;
        throw new SfuError('SFU_ERR_INVALID_MESSAGE', String(unreachable));
      }
    }
  }

  async #waitForPeerConnections(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.#livePeerConnections.size > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  #router(id: string): WorkerRouter {
    const router = this.#routers.get(id);
    if (!router) throw new SfuError('SFU_ERR_ROUTER_NOT_FOUND', id);
    return router;
  }

  #transport(id: string): WorkerTransport {
    const transport = this.#transports.get(id);
    if (!transport) throw new SfuError('SFU_ERR_TRANSPORT_NOT_FOUND', id);
    return transport;
  }

  #producer(id: string): WorkerProducer {
    const producer = this.#producers.get(id);
    if (!producer) throw new SfuError('SFU_ERR_PRODUCER_NOT_FOUND', id);
    return producer;
  }

  #consumer(id: string): WorkerConsumer {
    const consumer = this.#consumers.get(id);
    if (!consumer) throw new SfuError('SFU_ERR_CONSUMER_NOT_FOUND', id);
    return consumer;
  }
}
