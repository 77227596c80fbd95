import { randomUUID } from 'node:crypto';
import { RTCPeerConnection, type RTCRtpReceiver, type RTCRtpTransceiver } from 'werift';
import type { ConnectionState, TransportDirection, TransportStats } from '../channel/messages';
import { SfuError } from '../errors';
import type { PeerConnectionConfig } from './codecs';
import { fixOfferSdp } from './sdp';
import { DownlinkEstimator } from './bwe/downlink-estimator';
import { installTwccRawCapture } from './bwe/twcc-feedback';
import { installInboundFastPath } from './fastpath/inbound';
import { installFastRtpParse } from './fastpath/rtp-parse';
import { ProbeController } from './bwe/probe-controller';
import { retransmissionStats, type RetransmissionStats } from './bwe/retransmissions';
import { sendRtcp } from './fastpath/srtcp-send';
import { PublishRtcp } from './rtcp/publish-rtcp';
import { receptionSources, silenceWeriftReceiverReports } from './rtcp/werift-reception';

installTwccRawCapture();
installFastRtpParse();
installInboundFastPath();
import { DownlinkAllocator } from './simulcast/downlink-allocator';
import { LayerMeter } from './simulcast/layer-meter';
import { TransceiverPool } from './transceiver-pool';
import { WorkerConsumer } from './worker-consumer';
import { WorkerProducer } from './worker-producer';

export interface WorkerTransportHooks {
  onProducer: (transport: WorkerTransport, producer: WorkerProducer) => void;
  /** A producer closed on the worker's own initiative (e.g. the browser removed the track). */
  onProducerClosedRemotely: (producer: WorkerProducer) => void;
  onProducerClosed: (producer: WorkerProducer) => void;
  /** A simulcast producer's needed layer count changed (dynacast). */
  onProducerLayersNeeded: (producer: WorkerProducer, layers: number) => void;
  onConsumerClosed: (consumer: WorkerConsumer) => void;
  onConnectionState: (transport: WorkerTransport, state: ConnectionState) => void;
  onPeerConnectionClosed: (pc: RTCPeerConnection) => void;
  onClose: (transport: WorkerTransport) => void;
}

export interface WorkerTransportOptions {
  id: string;
  routerId: string;
  direction: TransportDirection;
  peerConfig: PeerConnectionConfig;
  keyframeRequestMinIntervalMs: number;
  subscriberKeyframeRequestMinIntervalMs: number;
  /** Test only: producers keep payload samples. */
  inspection: boolean;
  hooks: WorkerTransportHooks;
}

const RECEIVING = new Set(['recvonly', 'sendrecv']);

/** One werift RTCPeerConnection: publish (browser offers) or subscribe (we offer). */
export class WorkerTransport {
  readonly id: string;
  readonly routerId: string;
  readonly direction: TransportDirection;
  readonly pc: RTCPeerConnection;
  readonly #hooks: WorkerTransportHooks;
  readonly #keyframeIntervalMs: number;
  readonly #subscriberPliIntervalMs: number;
  readonly #allocator: DownlinkAllocator | undefined;
  readonly #estimator: DownlinkEstimator | undefined;
  readonly #prober: ProbeController | undefined;
  /** Publish: transport-cc feedback and receiver reports to the browser. */
  readonly #rtcp: PublishRtcp | undefined;
  /** Publish: the receivers of our producers, which #rtcp reports on. */
  readonly #receivers = new Set<RTCRtpReceiver>();
  /** What this subscribe transport sends (RTP payload bytes). */
  readonly #sent = new LayerMeter();
  readonly #inspection: boolean;
  readonly #producersByMid = new Map<string, WorkerProducer>();
  readonly #consumers = new Map<string, WorkerConsumer>();
  readonly #unannounced = new Set<WorkerConsumer>();
  readonly #pool: TransceiverPool;
  #queue: Promise<unknown> = Promise.resolve();
  #nextMid = 0;
  #closed = false;
  #rejectPending: ((err: SfuError) => void) | undefined;
  // werift never settles a description call once the peer connection closes; race against this.
  readonly #closedSignal = new Promise<never>((_, reject) => {
    this.#rejectPending = reject;
  });

  constructor(options: WorkerTransportOptions) {
    this.id = options.id;
    this.routerId = options.routerId;
    this.direction = options.direction;
    this.#hooks = options.hooks;
    this.#keyframeIntervalMs = options.keyframeRequestMinIntervalMs;
    this.#subscriberPliIntervalMs = options.subscriberKeyframeRequestMinIntervalMs;
    this.#rtcp =
      options.direction === 'publish'
        ? new PublishRtcp({
            senderSsrc: Math.floor(Math.random() * 0xffffffff),
            sources: () => receptionSources(this.#receivers),
            send: (packet) => {
              const dtls = this.pc.getTransceivers()[0]?.receiver.dtlsTransport;
              if (dtls) sendRtcp(dtls, packet);
            },
          })
        : undefined;
    const estimator = options.direction === 'subscribe' ? new DownlinkEstimator() : undefined;
    this.#estimator = estimator;
    const prober = estimator
      ? new ProbeController({
          estimate: () => estimator.estimate,
          sendRate: () => this.#sent.wireBitrate(performance.now()),
          desired: () => this.#allocator?.desired ?? 0,
          queuingDelayMs: () => estimator.state.queuingDelayMs,
          lastOveruseMs: () => estimator.lastOveruseMs,
          startProbe: () => estimator.startProbe(),
          endProbe: (t) => estimator.endProbe(t),
          probeOutcome: (id, t) => estimator.probeOutcome(id, t),
          sendPadding: (bytes, t) => {
            for (const c of this.#consumers.values()) {
              if (c.producer.kind !== 'video') continue;
              const sent = c.sendPadding(bytes, t);
              if (sent > 0) return sent;
            }
            return 0;
          },
        })
      : undefined;
    this.#prober = prober;
    this.#allocator = estimator
      ? new DownlinkAllocator(
          () => this.#consumers.values(),
          (audio) => {
            estimator.setUntrackedRate(audio);
            return estimator.estimate;
          },
          (t) => prober?.tick(t),
        )
      : undefined;
    this.#inspection = options.inspection;
    this.#closedSignal.catch(() => undefined);
    this.pc = new RTCPeerConnection(options.peerConfig);
    this.#pool = new TransceiverPool(this.pc);
    this.pc.connectionStateChange.subscribe((state) => {
      if (this.#closed) return;
      if (state === 'connected') {
        // late joiners need a keyframe as soon as media can flow
        for (const consumer of this.#consumers.values()) consumer.requestKeyFrame();
      }
      this.#hooks.onConnectionState(this, state);
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  get producers(): Iterable<WorkerProducer> {
    return this.#producersByMid.values();
  }

  get consumers(): Iterable<WorkerConsumer> {
    return this.#consumers.values();
  }

  stats(): TransportStats {
    const state = this.#estimator?.state;
    return {
      availableBitrate: state?.estimate ?? null,
      sendBitrate: Math.round(this.#sent.bitrate(performance.now())),
      queuingDelayMs: state?.queuingDelayMs ?? 0,
      lossFraction: state?.lossFraction ?? 0,
      videoBudget: this.#allocator?.videoBudget ?? null,
      desiredBitrate: Math.round(this.#allocator?.desired ?? 0),
      probes: this.#prober?.stats.probes ?? 0,
      probesSucceeded: this.#prober?.stats.succeeded ?? 0,
      retransmissions: this.#retransmissions().sent,
      retransmissionsDropped: this.#retransmissions().dropped,
    };
  }

  /** Counters of the NACK answers (bwe/retransmissions.ts), zero before the first packet. */
  #retransmissions(): RetransmissionStats {
    const dtls = this.pc.getTransceivers()[0]?.sender.dtlsTransport;
    return (dtls && retransmissionStats(dtls)) ?? { sent: 0, dropped: 0 };
  }

  /** A tile size changed: choose layers now rather than at the next periodic run. */
  reallocate(): void {
    this.#allocator?.run(performance.now());
  }

  /** Publish side: apply the browser's offer, answer it, create producers for new tracks. */
  handleOffer(sdp: string): Promise<string> {
    this.#expectDirection('publish');
    return this.#serialise(async () => {
      await this.#applyRemote('offer', sdp);
      await this.pc.setLocalDescription(await this.pc.createAnswer());
      this.#assertOpen();
      this.#syncProducers();
      return this.#localSdp();
    });
  }

  /**
   * Subscribe side: an offer with one sendonly m-line per consumer; a closed consumer's m-line is
   * inactive until a new consumer of its kind reuses it (see TransceiverPool).
   */
  createOffer(): Promise<string> {
    this.#expectDirection('subscribe');
    return this.#serialise(async () => {
      this.#pool.offering();
      await this.pc.setLocalDescription(await this.pc.createOffer());
      this.#assertOpen();
      return fixOfferSdp(this.#localSdp(), { initial: !this.pc.currentRemoteDescription });
    });
  }

  handleAnswer(sdp: string): Promise<void> {
    this.#expectDirection('subscribe');
    return this.#serialise(async () => {
      if (this.pc.signalingState !== 'have-local-offer') {
        throw new SfuError('SFU_ERR_INVALID_SDP', 'no offer is pending on this transport');
      }
      await this.#applyRemote('answer', sdp);
      this.#pool.answered();
      for (const consumer of this.#unannounced) consumer.requestKeyFrame();
      this.#unannounced.clear();
    });
  }

  consume(consumerId: string, producer: WorkerProducer): WorkerConsumer {
    this.#expectDirection('subscribe');
    if (producer.closed) throw new SfuError('SFU_ERR_PRODUCER_NOT_FOUND');
    const transceiver = this.#pool.addTransceiver(producer.kind);
    // werift allocates mids at createOffer; we assign ours now so the caller can map
    // "mid X = participant P's camera" before the offer goes out (a reused m-line keeps its mid).
    transceiver.mid ??= this.#allocateMid();
    const consumer = new WorkerConsumer({
      id: consumerId,
      transportId: this.id,
      producer,
      subscriberPliMinIntervalMs: this.#subscriberPliIntervalMs,
      sent: this.#sent,
      estimator: this.#estimator,
      pc: this.pc,
      transceiver,
      mid: transceiver.mid,
      onClose: (c) => {
        this.#consumers.delete(c.id);
        this.#unannounced.delete(c);
        if (!this.#closed) this.#pool.retire(transceiver);
        this.#hooks.onConsumerClosed(c);
      },
    });
    this.#consumers.set(consumerId, consumer);
    this.#unannounced.add(consumer);
    producer.addConsumer(consumer);
    producer.requestKeyFrame();
    return consumer;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#allocator?.close();
    this.#prober?.close();
    this.#rtcp?.close();
    this.#rejectPending?.(new SfuError('SFU_ERR_CLOSED', `transport ${this.id}`));
    for (const producer of [...this.#producersByMid.values()]) producer.close();
    for (const consumer of [...this.#consumers.values()]) consumer.close();
    const pc = this.pc;
    pc.close().then(
      () => this.#hooks.onPeerConnectionClosed(pc),
      () => this.#hooks.onPeerConnectionClosed(pc),
    );
    this.#hooks.onClose(this);
  }

  #syncProducers(): void {
    for (const transceiver of this.pc.getTransceivers()) {
      const mid = transceiver.mid;
      if (mid === null) continue;
      const existing = this.#producersByMid.get(mid);
      const receiving = !transceiver.stopped && RECEIVING.has(transceiver.currentDirection ?? '');
      if (receiving && !existing) {
        this.#createProducer(transceiver, mid);
      } else if (!receiving && existing) {
        existing.close();
        this.#hooks.onProducerClosedRemotely(existing);
      }
    }
  }

  #createProducer(transceiver: RTCRtpTransceiver, mid: string): void {
    const receiver = transceiver.receiver;
    // our receiver reports cover this receiver's SSRCs (rtcp/publish-rtcp.ts), not werift's loop
    silenceWeriftReceiverReports(receiver);
    this.#receivers.add(receiver);
    const producer = new WorkerProducer({
      id: randomUUID(),
      kind: transceiver.kind === 'audio' ? 'audio' : 'video',
      mid,
      transceiver,
      keyframeRequestMinIntervalMs: this.#keyframeIntervalMs,
      inspection: this.#inspection,
      onTransportSeq: this.#rtcp
        ? (seq, ssrc, t) => this.#rtcp?.onTransportSeq(seq, ssrc, t)
        : undefined,
      onLayersNeeded: (p, layers) => this.#hooks.onProducerLayersNeeded(p, layers),
      onClose: (p) => {
        this.#receivers.delete(receiver);
        this.#producersByMid.delete(p.mid);
        this.#hooks.onProducerClosed(p);
      },
    });
    this.#producersByMid.set(mid, producer);
    this.#hooks.onProducer(this, producer);
  }

  async #applyRemote(type: 'offer' | 'answer', sdp: string): Promise<void> {
    // werift accepts almost any string as a description (e.g. an offer with no media at all)
    if (!/^v=0\r?\n/.test(sdp) || !/^m=(audio|video) /m.test(sdp)) {
      throw new SfuError('SFU_ERR_INVALID_SDP', 'not a session description with audio or video');
    }
    try {
      await this.pc.setRemoteDescription({ type, sdp });
    } catch (err) {
      const detail = err instanceof Error ? err.message : String(err);
      if (detail.includes('negotiate codecs'))
        throw new SfuError('SFU_ERR_UNSUPPORTED_CODEC', detail);
      throw new SfuError('SFU_ERR_INVALID_SDP', detail);
    }
    this.#assertOpen();
  }

  #allocateMid(): string {
    const taken = new Set(this.pc.getTransceivers().map((t) => t.mid));
    let mid = String(this.#nextMid++);
    while (taken.has(mid)) mid = String(this.#nextMid++);
    return mid;
  }

  #localSdp(): string {
    const sdp = this.pc.localDescription?.sdp;
    if (!sdp) throw new SfuError('SFU_ERR_INTERNAL', 'no local description');
    return sdp;
  }

  #expectDirection(direction: TransportDirection): void {
    this.#assertOpen();
    if (this.direction !== direction) {
      throw new SfuError('SFU_ERR_WRONG_DIRECTION', `${this.direction} transport`);
    }
  }

  #assertOpen(): void {
    if (this.#closed) throw new SfuError('SFU_ERR_CLOSED', `transport ${this.id}`);
  }

  /** Negotiation steps of one transport run one at a time, in call order. */
  #serialise<T>(task: () => Promise<T>): Promise<T> {
    const guarded = () => Promise.race([task(), this.#closedSignal]);
    const run = this.#queue.then(guarded, guarded);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}
