import {
  allocateLayers,
  allocationCost,
  type LayerState,
  type VideoDemand,
} from './layer-selection';

/** What the allocator needs of a consumer (WorkerConsumer implements it). */
export interface AllocatableConsumer {
  readonly closed: boolean;
  readonly currentLayer: number;
  readonly targetLayer: number;
  readonly preference: { maxHeight: number };
  readonly producer: { kind: 'audio' | 'video'; layerStates(nowMs: number): LayerState[] };
  /**
   * `urgent`: the switch is down, for bandwidth: the layer forwarded now no longer fits the link,
   * so it stops at its next frame instead of running on until the new layer's key frame.
   */
  setTargetLayer(layer: number, urgent?: boolean): void;
}

export const ALLOCATION_INTERVAL_MS = 500;
/**
 * A tile that is being forwarded is paused for bandwidth only when the allocation has wanted
 * that for this long: an estimate that dips once (a probe, a burst of retransmissions) should not
 * cost a frozen tile and a key frame to resume it. Meanwhile it gets its lowest layer.
 */
export const PAUSE_AFTER_MS = 2000;

/**
 * Per subscribe transport: every 500 ms (and when a tile size changes) picks each video
 * consumer's layer from tile sizes and the downlink estimate (layer-selection.ts). Audio comes
 * first: its measured bitrate is taken off the estimate before video is shared out. A tile being
 * forwarded is paused for bandwidth only after PAUSE_AFTER_MS of wanting it. Also
 * computes what the subscriber would receive without a bandwidth limit (`desired`), which the
 * probe controller uses to decide whether to look for more bandwidth, and ticks it (`onRun`).
 *
 * A switch down for bandwidth is urgent: the layer forwarded now stops at its next frame (the
 * tile holds its last picture) rather than running on into a full link until the lower layer's
 * key frame, which would queue behind it, be dropped at the queue's tail, and freeze the tile for
 * seconds (seen behind a 400 kbit/s link in test/e2e/network-simulcast.test.ts).
 */
export class DownlinkAllocator {
  readonly #consumers: () => Iterable<AllocatableConsumer>;
  /** The downlink estimate, told the audio rate (bits/s on the wire) first. */
  readonly #estimate: (audioBps: number) => number | null;
  readonly #timer: NodeJS.Timeout;
  readonly #onRun: ((nowMs: number) => void) | undefined;
  #budget: number | null = null;
  #desired = 0;
  /** Since when the allocation has wanted to pause a forwarded tile for bandwidth. */
  readonly #pauseWanted = new WeakMap<AllocatableConsumer, number>();

  constructor(
    consumers: () => Iterable<AllocatableConsumer>,
    estimate: (audioBps: number) => number | null,
    onRun?: (nowMs: number) => void,
  ) {
    this.#consumers = consumers;
    this.#estimate = estimate;
    this.#onRun = onRun;
    this.#timer = setInterval(() => this.run(performance.now()), ALLOCATION_INTERVAL_MS);
    this.#timer.unref();
  }

  /** The video budget of the last run (estimate minus audio), null without an estimate. */
  get videoBudget(): number | null {
    return this.#budget;
  }

  /** Audio plus the video every visible tile wants (bits/s on the wire), at the last run. */
  get desired(): number {
    return this.#desired;
  }

  run(nowMs: number): void {
    let audio = 0;
    const video: AllocatableConsumer[] = [];
    const demands: VideoDemand[] = [];
    for (const c of this.#consumers()) {
      if (c.closed) continue;
      const layers = c.producer.layerStates(nowMs);
      if (c.producer.kind === 'audio') {
        audio += layers[0]?.bitrate ?? 0;
        continue;
      }
      if (layers.length === 0) continue;
      video.push(c);
      const maxHeight = c.preference.maxHeight;
      demands.push({
        layers,
        maxHeight,
        priority: Number.isFinite(maxHeight) ? maxHeight : 1e6,
        current: c.currentLayer,
      });
    }
    const estimate = this.#estimate(audio);
    const budget = (estimate ?? Infinity) - audio;
    this.#budget = estimate === null ? null : Math.max(0, budget);
    const choice = allocateLayers(demands, Math.max(0, budget));
    const unlimited = allocateLayers(demands, Infinity);
    this.#desired = audio + allocationCost(demands, unlimited);
    for (const [i, c] of video.entries()) {
      let layer = choice[i]!;
      const d = demands[i]!;
      if (layer < 0 && d.maxHeight > 0 && c.currentLayer >= 0 && c.targetLayer >= 0) {
        const since = this.#pauseWanted.get(c) ?? nowMs;
        this.#pauseWanted.set(c, since);
        if (nowMs - since < PAUSE_AFTER_MS) layer = allocateLayers([d], 0)[0]!;
      } else {
        this.#pauseWanted.delete(c);
      }
      // re-asserting the same target repeats the key frame request while a switch is pending
      if (layer !== c.targetLayer || layer !== c.currentLayer) {
        const forBandwidth = layer >= 0 && layer < c.currentLayer && layer < unlimited[i]!;
        c.setTargetLayer(layer, forBandwidth);
      }
    }
    this.#onRun?.(nowMs);
  }

  close(): void {
    clearInterval(this.#timer);
  }
}
