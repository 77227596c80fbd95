import { unwrapRtx, type MediaStreamTrack, type RTCRtpTransceiver, type RtpPacket } from 'werift';
import type {
  LayerStats,
  MediaKind,
  PayloadSample,
  ProducerInfo,
  ProducerStats,
} from '../channel/messages';
import {
  DirectReceiver,
  mediaRoutes,
  routeClaimers,
  type MediaRoute,
  type RouteClaimer,
} from './fastpath/media-routes';
import { fixNackLoop } from './fastpath/nack-loop';
import { splitNackBySsrc } from './fastpath/nack-per-ssrc';
import { DuplicateFilter } from './duplicate-filter';
import { KeyframeLimiter } from './keyframe-limiter';
import { PayloadInspector } from './payload-inspector';
import { claimRtx, rtxApt, type RtxClaimContext } from './publisher-rtx';
import { pollRtcpTick } from './rtcp/publish-rtcp';
import { recordSenderReport } from './rtcp/werift-reception';
import { LayerDemand, neededLayers } from './simulcast/layer-demand';
import { LayerMeter } from './simulcast/layer-meter';
import type { LayerState } from './simulcast/layer-selection';
import { emptyVp8Fields, readVp8Fields, type Vp8Fields } from './simulcast/vp8-fields';
import type { WorkerConsumer } from './worker-consumer';
import type { WorkerTap } from './worker-tap';

export interface WorkerProducerOptions {
  id: string;
  kind: MediaKind;
  mid: string;
  transceiver: RTCRtpTransceiver;
  keyframeRequestMinIntervalMs: number;
  /** Test only: keep payload samples (see PayloadInspector). */
  inspection: boolean;
  onClose: (producer: WorkerProducer) => void;
  /** Each packet's transport-wide sequence number (transport-cc feedback to the publisher). */
  onTransportSeq?: ((seq: number, ssrc: number, nowMs: number) => void) | undefined;
  /** Simulcast: how many layers, lowest first, someone needs changed (simulcast/layer-demand.ts). */
  onLayersNeeded?: ((producer: WorkerProducer, layers: number) => void) | undefined;
}

/** How often a simulcast producer checks which layers its consumers need. */
const LAYER_DEMAND_INTERVAL_MS = 1000;

/** One received RTP stream: a simulcast layer (rid), or the only stream of a track. */
class ProducerLayer {
  readonly index: number;
  readonly track: MediaStreamTrack;
  readonly meter = new LayerMeter();
  readonly limiter: KeyframeLimiter;
  ssrc: number | undefined;
  width = 0;
  height = 0;
  pliSent = 0;
  /** This layer's entry in its DTLS transport's route table (fastpath/media-routes.ts). */
  route: MediaRoute | undefined;
  routedSsrc: number | undefined;
  routes: Map<number, MediaRoute> | undefined;
  /** This layer's RTX stream (./publisher-rtx.ts), once claimed. */
  rtxRoute: MediaRoute | undefined;
  rtxSsrc: number | undefined;
  rtxPacketsIn = 0;
  repairedPacketsIn = 0;
  /** Sequence numbers that arrived, whichever path brought them (./duplicate-filter.ts). */
  readonly arrived = new DuplicateFilter();
  duplicatePacketsIn = 0;

  constructor(index: number, track: MediaStreamTrack, limiter: KeyframeLimiter) {
    this.index = index;
    this.track = track;
    this.limiter = limiter;
  }

  /** Removes this layer's routes, where they still hold their SSRCs. */
  unroute(): void {
    if (this.routedSsrc !== undefined && this.routes?.get(this.routedSsrc) === this.route) {
      this.routes!.delete(this.routedSsrc);
    }
    if (this.rtxSsrc !== undefined && this.routes?.get(this.rtxSsrc) === this.rtxRoute) {
      this.routes!.delete(this.rtxSsrc);
    }
    this.routedSsrc = undefined;
    this.rtxSsrc = undefined;
    this.routes = undefined;
  }
}

const now = (): number => performance.now();
/** The performance clock's origin on the wall clock (ms): wall time = origin + now(). */
const TIME_ORIGIN_MS = performance.timeOrigin;
const TRANSPORT_CC_URI =
  'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01';

/**
 * One received track of a publish transport, fanned out to its consumers. With simulcast the
 * track has one RTP stream per rid, lowest resolution first (the order of the publisher's
 * sendEncodings, i.e. of `a=simulcast`); each consumer picks the layer it forwards.
 */
export class WorkerProducer {
  readonly id: string;
  readonly kind: MediaKind;
  readonly mid: string;
  readonly #transceiver: RTCRtpTransceiver;
  readonly #consumers = new Set<WorkerConsumer>();
  readonly #taps = new Set<WorkerTap>();
  readonly #layers: ProducerLayer[] = [];
  readonly #keyframeIntervalMs: number;
  readonly #onClose: (producer: WorkerProducer) => void;
  readonly #unsubscribers: (() => void)[] = [];
  readonly #inspector: PayloadInspector | undefined;
  readonly #vp8: Vp8Fields = emptyVp8Fields();
  readonly #onTransportSeq: WorkerProducerOptions['onTransportSeq'];
  readonly #direct: DirectReceiver;
  /** Where this producer claims its layers' RTX streams, once its transport is known. */
  #claimers: Set<RouteClaimer> | undefined;
  readonly #onLayersNeeded: WorkerProducerOptions['onLayersNeeded'];
  #demand: LayerDemand | undefined;
  #demandTimer: NodeJS.Timeout | undefined;
  #paused = false;
  #closed = false;
  #rtpPacketsIn = 0;
  #rtpPacketsForwarded = 0;
  #keyframeRequestsReceived = 0;
  #topActive = 0;
  #topCheckedAtMs = Number.NEGATIVE_INFINITY;

  constructor(options: WorkerProducerOptions) {
    this.id = options.id;
    this.kind = options.kind;
    this.mid = options.mid;
    this.#transceiver = options.transceiver;
    this.#onClose = options.onClose;
    this.#keyframeIntervalMs = options.keyframeRequestMinIntervalMs;
    this.#inspector = options.inspection ? new PayloadInspector(options.kind) : undefined;
    this.#onTransportSeq = options.onTransportSeq;
    this.#onLayersNeeded = options.onLayersNeeded;
    const transceiver = options.transceiver;
    this.#direct = new DirectReceiver(
      transceiver.receiver,
      options.kind,
      () => transceiver.headerExtensions,
    );
    // werift's own transport-cc feedback misreports (see bwe/twcc-responder.ts): ours answers.
    // A stub keeps werift from creating its generator (rtpReceiver.handleRTP, werift 0.24.4).
    (options.transceiver.receiver as unknown as { receiverTWCC: unknown }).receiverTWCC = {
      handleTWCC: () => undefined,
      twccRunning: false,
    };
    // werift's NACK loop would run for good after one repaired loss (fastpath/nack-loop.ts)
    fixNackLoop((transceiver.receiver as unknown as { nack: unknown }).nack);
    // and one NACK generator per SSRC, not one for all simulcast layers (fastpath/nack-per-ssrc.ts)
    splitNackBySsrc(transceiver.receiver);
    // ontrack fires once per transceiver; simulcast rid tracks are all in receiver.tracks.
    for (const track of options.transceiver.receiver.tracks) this.#attach(track);
    const { unSubscribe } = options.transceiver.onTrack.subscribe((track) => this.#attach(track));
    this.#unsubscribers.push(unSubscribe);
  }

  get closed(): boolean {
    return this.#closed;
  }

  get paused(): boolean {
    return this.#paused;
  }

  get transceiver(): RTCRtpTransceiver {
    return this.#transceiver;
  }

  get consumers(): ReadonlySet<WorkerConsumer> {
    return this.#consumers;
  }

  /** Number of RTP streams (simulcast layers), 1 without simulcast. */
  get layerCount(): number {
    return Math.max(1, this.#layers.length);
  }

  /** What layer selection needs to know, lowest layer first. */
  layerStates(nowMs = now()): LayerState[] {
    return this.#layers.map((l) => ({
      active: !this.#paused && l.meter.active(nowMs),
      bitrate: l.meter.wireBitrate(nowMs),
      height: l.height,
    }));
  }

  info(): ProducerInfo {
    return {
      id: this.id,
      kind: this.kind,
      mid: this.mid,
      paused: this.#paused,
      layers: this.layerCount,
    };
  }

  stats(): ProducerStats {
    const t = now();
    const layers: LayerStats[] = this.#layers.map((l) => ({
      rid: l.track.rid ?? null,
      ssrc: l.ssrc ?? null,
      rtpPacketsIn: l.meter.packets,
      bitrate: Math.round(l.meter.bitrate(t)),
      active: l.meter.active(t),
      width: l.width,
      height: l.height,
      pliSent: l.pliSent,
      rtxPacketsIn: l.rtxPacketsIn,
      repairedPacketsIn: l.repairedPacketsIn,
      duplicatePacketsIn: l.duplicatePacketsIn,
    }));
    return {
      rtpPacketsIn: this.#rtpPacketsIn,
      rtpPacketsForwarded: this.#rtpPacketsForwarded,
      keyframeRequestsReceived: this.#keyframeRequestsReceived,
      pliSent: layers.reduce((sum, l) => sum + l.pliSent, 0),
      paused: this.#paused,
      layers,
    };
  }

  /** Recent received payload samples, oldest first; undefined unless inspection is enabled. */
  inspectPayloads(): PayloadSample[] | undefined {
    return this.#inspector?.samples();
  }

  addConsumer(consumer: WorkerConsumer): void {
    this.#consumers.add(consumer);
  }

  removeConsumer(consumer: WorkerConsumer): void {
    this.#consumers.delete(consumer);
  }

  addTap(tap: WorkerTap): void {
    this.#taps.add(tap);
  }

  removeTap(tap: WorkerTap): void {
    this.#taps.delete(tap);
  }

  pause(): void {
    this.#paused = true;
  }

  resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    for (const consumer of this.#consumers) consumer.resync();
    for (const tap of this.#taps) tap.resync();
    // receivers need a keyframe to resume decoding
    this.requestKeyFrame();
  }

  /**
   * Asks the publisher for a key frame on `layer` (every layer when omitted), rate-limited per
   * layer: see KeyframeLimiter. Audio producers ignore keyframe requests.
   */
  requestKeyFrame(layer?: number): void {
    if (this.#closed || this.kind !== 'video') return;
    this.#keyframeRequestsReceived++;
    if (layer === undefined) {
      for (const l of this.#layers) l.limiter.request();
    } else {
      this.#layers[layer]?.limiter.request();
    }
  }

  /** Closes the producer and its consumers (which report 'producerclose'). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const layer of this.#layers) {
      layer.limiter.close();
      layer.unroute();
    }
    this.#claimers?.delete(this.#claimRtx);
    clearInterval(this.#demandTimer);
    for (const unsubscribe of this.#unsubscribers) unsubscribe();
    this.#unsubscribers.length = 0;
    for (const consumer of [...this.#consumers]) consumer.close();
    this.#consumers.clear();
    for (const tap of [...this.#taps]) tap.close();
    this.#taps.clear();
    this.#onClose(this);
  }

  #attach(track: MediaStreamTrack): void {
    if (this.#closed || this.#layers.some((l) => l.track === track)) return;
    // Only rid tracks are layers; a werift receiver may also list a track per extra SSRC.
    if (this.#layers.length > 0 && (track.rid === undefined || !this.#layers[0]!.track.rid)) return;
    const index = this.#layers.length;
    const layer: ProducerLayer = new ProducerLayer(
      index,
      track,
      new KeyframeLimiter(this.#keyframeIntervalMs, () => this.#sendPli(layer)),
    );
    this.#layers.push(layer);
    if (this.#layers.length === 2 && this.#onLayersNeeded) {
      this.#demandTimer = setInterval(() => this.#checkDemand(now()), LAYER_DEMAND_INTERVAL_MS);
      this.#demandTimer.unref();
    }
    const { unSubscribe } = track.onReceiveRtp.subscribe((rtp, extensions) => {
      const seq: unknown = extensions?.[TRANSPORT_CC_URI];
      if (typeof seq === 'number') this.#onTransportSeq?.(seq, rtp.header.ssrc, now());
      this.#onRtp(layer, rtp, now());
      this.#route(layer, rtp.header.ssrc);
    });
    this.#unsubscribers.push(unSubscribe);
  }

  /**
   * After werift delivered a packet of `ssrc` to this layer, the next ones of that SSRC come
   * straight from the SRTP receive path (fastpath/media-routes.ts).
   */
  #route(layer: ProducerLayer, ssrc: number): void {
    if (this.#closed || layer.routedSsrc === ssrc) return;
    const dtls = this.#transceiver.receiver.dtlsTransport;
    if (!dtls) return;
    layer.unroute();
    const receiver = this.#transceiver.receiver;
    layer.route ??= {
      receive: (packet) => this.#receiveDirect(layer, packet),
      senderReport: (report, nowS) => recordSenderReport(receiver, report, nowS),
    };
    layer.routes = mediaRoutes(dtls);
    layer.routes.set(ssrc, layer.route);
    layer.routedSsrc = ssrc;
    if (this.kind === 'video' && layer.track.rid === undefined) this.#routeFidRtx(layer, ssrc);
    if (this.kind === 'video' && layer.track.rid !== undefined && !this.#claimers) {
      this.#claimers = routeClaimers(dtls);
      this.#claimers.add(this.#claimRtx);
    }
  }

  /**
   * The RTX stream of a track without rids, signalled with `a=ssrc-group:FID` (RFC 5576 §4.2):
   * werift knows its SSRC from the offer (`ssrcByRtx`) and would unwrap every packet of it, probe
   * copies included; routed here it goes the way of a rid layer's (#receiveRtx). A packet of a
   * payload type that is not RTX goes on to werift.
   */
  #routeFidRtx(layer: ProducerLayer, ssrc: number): void {
    const receiver = this.#transceiver.receiver as unknown as {
      ssrcByRtx?: Record<number, number>;
    } & Pick<RtxClaimContext, 'codecs'>;
    for (const [rtx, media] of Object.entries(receiver.ssrcByRtx ?? {})) {
      if (media !== ssrc) continue;
      layer.rtxRoute = {
        receive: (packet) => {
          const apt = rtxApt(receiver.codecs, packet.header.payloadType);
          return apt !== undefined && this.#receiveRtx(layer, apt, packet);
        },
      };
      layer.rtxSsrc = Number(rtx);
      layer.routes!.set(layer.rtxSsrc, layer.rtxRoute);
      return;
    }
  }

  /** A packet of an unrouted SSRC: this producer's RTX stream of a rid layer (./publisher-rtx.ts)? */
  readonly #claimRtx = (packet: RtpPacket): boolean => {
    if (this.#closed) return false;
    const receiver = this.#transceiver.receiver as unknown as Pick<RtxClaimContext, 'codecs'>;
    const claim = claimRtx(packet.header, {
      mid: this.mid,
      codecs: receiver.codecs,
      headerExtensions: this.#transceiver.headerExtensions,
      layerOf: (rid) => this.#layers.find((l) => l.track.rid === rid)?.index,
    });
    const layer = claim && this.#layers[claim.layer];
    if (!claim || !layer?.routes) return false;
    if (layer.rtxSsrc !== undefined && layer.routes.get(layer.rtxSsrc) === layer.rtxRoute) {
      layer.routes.delete(layer.rtxSsrc);
    }
    const apt = claim.apt;
    layer.rtxRoute = { receive: (rtx) => this.#receiveRtx(layer, apt, rtx) };
    layer.rtxSsrc = packet.header.ssrc;
    layer.routes.set(packet.header.ssrc, layer.rtxRoute);
    return layer.rtxRoute.receive(packet);
  };

  /**
   * A packet of `layer`'s RTX stream: its transport-wide number always counts (padding-only
   * packets are the publisher's bandwidth probes); a retransmission the NACK generator still
   * misses is unwrapped (RFC 4588 §4: the original sequence number leads the payload) and goes
   * on as the original packet would have.
   */
  #receiveRtx(layer: ProducerLayer, apt: number, rtx: RtpPacket): boolean {
    if (this.#closed) return false;
    if (this.#onTransportSeq) {
      const seq = this.#direct.transportSeq(rtx.header);
      if (seq !== undefined) this.#onTransportSeq(seq, rtx.header.ssrc, now());
    }
    layer.rtxPacketsIn++;
    const ssrc = layer.ssrc;
    if (rtx.payload.length < 2 || ssrc === undefined) return true;
    const packet = unwrapRtx(rtx, apt, ssrc);
    if (!this.#direct.acceptRepair(packet)) return true;
    layer.repairedPacketsIn++;
    this.#onRtp(layer, packet, now());
    return true;
  }

  #receiveDirect(layer: ProducerLayer, rtp: RtpPacket): boolean {
    // one clock reading per packet, for its statistics, transport-cc and forwarding
    const t = now();
    if (this.#closed || !this.#direct.accept(rtp, (TIME_ORIGIN_MS + t) / 1000)) return false;
    if (this.#onTransportSeq) {
      const seq = this.#direct.transportSeq(rtp.header);
      if (seq !== undefined) this.#onTransportSeq(seq, rtp.header.ssrc, t);
    }
    this.#onRtp(layer, rtp, t);
    return true;
  }

  #onRtp(layer: ProducerLayer, rtp: RtpPacket, t: number): void {
    // RTCP to publishers that is due goes out in this wake-up rather than a timer's of its own
    pollRtcpTick(t);
    // A copy of a packet that arrived (RTX probe padding, a repeated repair, werift's unwrapping
    // of every packet of a FID-signalled RTX stream) is neither forwarded nor counted again.
    if (!layer.arrived.firstArrival(rtp.header.ssrc, rtp.header.sequenceNumber)) {
      layer.duplicatePacketsIn++;
      return;
    }
    this.#rtpPacketsIn++;
    layer.ssrc = rtp.header.ssrc;
    layer.meter.add(rtp.payload.length, t);
    this.#inspector?.record(rtp.payload);
    let vp8: Vp8Fields | undefined;
    if (this.kind === 'video') {
      vp8 = this.#vp8;
      readVp8Fields(rtp.payload, vp8);
      if (vp8.width > 0) {
        layer.width = vp8.width;
        layer.height = vp8.height;
      }
    }
    if (this.#paused) return;
    for (const consumer of this.#consumers) {
      if (consumer.send(layer.index, rtp, vp8, t)) this.#rtpPacketsForwarded++;
    }
    if (this.#taps.size > 0) {
      const top = this.#topActiveLayer(t);
      for (const tap of this.#taps) {
        if (tap.send(this.kind, layer.index, rtp, vp8, t, top)) this.requestKeyFrame(top);
      }
    }
  }

  /** Tells the publisher's side how many layers anyone needs, when that changes (dynacast). */
  #checkDemand(nowMs: number): void {
    if (this.#closed || this.#layers.length < 2) return;
    this.#demand ??= new LayerDemand(this.#layers.length);
    const heights = [...this.#consumers].map((c) => c.preference.maxHeight);
    const needed = neededLayers(this.layerStates(nowMs), heights, this.#taps.size > 0);
    const announce = this.#demand.update(needed, nowMs);
    if (announce !== undefined) this.#onLayersNeeded?.(this, announce);
  }

  /** The highest layer that flows (recomputed at most every 250 ms; taps follow it). */
  #topActiveLayer(nowMs: number): number {
    if (nowMs - this.#topCheckedAtMs < 250) return this.#topActive;
    this.#topCheckedAtMs = nowMs;
    let top = 0;
    for (const l of this.#layers) if (l.meter.active(nowMs)) top = l.index;
    this.#topActive = top;
    return top;
  }

  #sendPli(layer: ProducerLayer): void {
    const ssrc = layer.track.ssrc ?? layer.ssrc;
    if (ssrc === undefined || this.#closed) return;
    const receiver = this.#transceiver.receiver;
    // werift's sendRtcpPLI silently drops the PLI before DTLS is connected (no SRTCP context
    // yet) or when the publisher did not negotiate PLI; count only PLIs that go on the wire.
    // A publisher that has not connected yet starts with a keyframe anyway.
    if (receiver.dtlsTransport?.state !== 'connected' || !receiver.pliEnabled) return;
    layer.pliSent++;
    void receiver.sendRtcpPLI(ssrc);
  }
}
