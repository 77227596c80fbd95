import type { TwccResults } from './twcc-feedback';

/**
 * One subscriber's downlink estimate from its transport-wide congestion control feedback, in the
 * style of Google Congestion Control (draft-ietf-rmcat-gcc-02): a delay-based detector drives an
 * AIMD rate controller, bounded by a loss-based rule.
 *
 * - Delay (§5): the SFU knows when it sent each transport-wide sequence number; the feedback says
 *   when it arrived. One-way delay minus its minimum over the last 10 s is the queuing delay
 *   (clock offsets cancel). Above 50 ms and not falling, the link is overused: the estimate goes
 *   to 0.85 x the rate that actually arrived over the last 500 ms (§5.5 "decrease"). Below 20 ms
 *   it may grow (§5.5 "increase": 8 %/s, 30 %/s after 2 s without overuse, so a lifted cap is
 *   found within seconds).
 *   GCC's trendline filter on inter-group delay variation is replaced by this baseline rule: with
 *   a tail-drop queue (the kind `tc tbf` makes) the baseline is sharp, and it needs no tuning.
 * - Loss (§6): over a 1 s window, more than 10 % lost multiplies the estimate by (1 - loss / 2);
 *   under 2 % allows growth.
 * - The estimate never grows beyond twice what the SFU sends plus 300 kbit/s: it must be
 *   evidenced, not imagined (an upgrade to a bigger layer is the probe).
 */
const RING = 8192;
const BASELINE_BUCKET_MS = 1000;
const BASELINE_BUCKETS = 10;
const OVERUSE_MS = 50;
const NORMAL_MS = 20;
const RATE_WINDOW_MS = 500;
const LOSS_WINDOW_MS = 1000;

export interface EstimatorState {
  /** bits/s, null until the first measurement. */
  estimate: number | null;
  queuingDelayMs: number;
  lossFraction: number;
  receiveRate: number;
  overuses: number;
}

export class DownlinkEstimator {
  readonly #sentSeq = new Int32Array(RING).fill(-1);
  readonly #sentAt = new Float64Array(RING);
  readonly #sentSize = new Uint16Array(RING);
  readonly #baseline = new Float64Array(BASELINE_BUCKETS).fill(Infinity);
  #baselineBucketStart = 0;
  #baselineBucket = 0;
  #estimate: number | null = null;
  #queuingMs = 0;
  #prevQueuingMs = 0;
  #lastUpdateMs = 0;
  #lastOveruseMs = Number.NEGATIVE_INFINITY;
  #overuses = 0;
  // received bytes and loss counts over recent feedback, as (time, value) pairs
  #arrivals: { atMs: number; bytes: number }[] = [];
  #losses: { atMs: number; lost: number; total: number }[] = [];
  #sendRate = 0;

  /** A packet with this transport-wide sequence number left for the subscriber. */
  onPacketSent(transportSeq: number, bytes: number, nowMs: number): void {
    const i = transportSeq % RING;
    this.#sentSeq[i] = transportSeq;
    this.#sentAt[i] = nowMs;
    this.#sentSize[i] = Math.min(0xffff, bytes);
  }

  /** What the SFU sends this subscriber now (bits/s): caps growth. */
  setSendRate(bps: number): void {
    this.#sendRate = bps;
  }

  get state(): EstimatorState {
    return {
      estimate: this.#estimate === null ? null : Math.round(this.#estimate),
      queuingDelayMs: Math.round(this.#queuingMs),
      lossFraction: this.#lossFraction(),
      receiveRate: Math.round(this.#receiveRate()),
      overuses: this.#overuses,
    };
  }

  get estimate(): number | null {
    return this.#estimate === null ? null : Math.round(this.#estimate);
  }

  onFeedback(fb: TwccResults, nowMs: number): void {
    let lost = 0;
    let total = 0;
    let delaySum = 0;
    let delays = 0;
    let bytes = 0;
    for (let k = 0; k < fb.sequenceNumbers.length; k++) {
      const seq = fb.sequenceNumbers[k]!;
      const i = seq % RING;
      if (this.#sentSeq[i] !== seq) continue; // not ours, or too old
      total++;
      const recv = fb.receivedAtMs[k]!;
      if (Number.isNaN(recv)) {
        lost++;
        continue;
      }
      bytes += this.#sentSize[i]!;
      const delay = recv - this.#sentAt[i]!;
      this.#addBaseline(delay, nowMs);
      delaySum += delay;
      delays++;
    }
    if (total === 0) return;
    this.#arrivals.push({ atMs: nowMs, bytes });
    this.#losses.push({ atMs: nowMs, lost, total });
    this.#trim(nowMs);
    if (delays > 0) {
      const q = Math.max(0, delaySum / delays - this.#baselineMin());
      this.#prevQueuingMs = this.#queuingMs;
      // smoothed over ~4 feedbacks (Chromium sends one every 50-100 ms)
      this.#queuingMs = this.#queuingMs * 0.75 + q * 0.25;
    }
    this.#update(nowMs);
  }

  #update(nowMs: number): void {
    const received = this.#receiveRate();
    const dt = this.#lastUpdateMs === 0 ? 0 : Math.min(1, (nowMs - this.#lastUpdateMs) / 1000);
    this.#lastUpdateMs = nowMs;
    if (this.#estimate === null) {
      // §5.5: start from what arrives once there is half a second of it
      if (this.#arrivals.length === 0 || nowMs - this.#arrivals[0]!.atMs < RATE_WINDOW_MS / 2) {
        return;
      }
      this.#estimate = Math.max(300_000, received * 1.2);
    }
    const loss = this.#lossFraction();
    const overused = this.#queuingMs > OVERUSE_MS && this.#queuingMs >= this.#prevQueuingMs - 1;
    if (overused) {
      if (nowMs - this.#lastOveruseMs > 200) {
        this.#overuses++;
        this.#estimate = Math.min(this.#estimate, Math.max(50_000, received * 0.85));
        this.#lastOveruseMs = nowMs;
      }
      return;
    }
    if (loss > 0.1) {
      this.#estimate *= 1 - (loss / 2) * dt * 2;
      return;
    }
    if (this.#queuingMs < NORMAL_MS && loss < 0.02 && nowMs - this.#lastOveruseMs > 500) {
      const calm = nowMs - this.#lastOveruseMs > 2000;
      // multiplicative, with an additive floor (200 kbit/s per second when calm) so an estimate
      // that collapsed under heavy loss climbs back in seconds, not minutes
      const grown = Math.max(
        this.#estimate * (calm ? 1.3 : 1.08) ** dt,
        this.#estimate + (calm ? 200_000 : 0) * dt,
      );
      const cap = Math.max(this.#estimate, 2 * this.#sendRate + 300_000);
      this.#estimate = Math.min(grown, cap);
    }
  }

  #receiveRate(): number {
    const a = this.#arrivals;
    if (a.length < 2) return 0;
    const span = a[a.length - 1]!.atMs - a[0]!.atMs;
    if (span <= 0) return 0;
    let bytes = 0;
    for (let i = 1; i < a.length; i++) bytes += a[i]!.bytes;
    return (bytes * 8 * 1000) / span;
  }

  #lossFraction(): number {
    let lost = 0;
    let total = 0;
    for (const l of this.#losses) {
      lost += l.lost;
      total += l.total;
    }
    return total === 0 ? 0 : lost / total;
  }

  #trim(nowMs: number): void {
    while (this.#arrivals.length > 2 && nowMs - this.#arrivals[0]!.atMs > RATE_WINDOW_MS) {
      this.#arrivals.shift();
    }
    while (this.#losses.length > 1 && nowMs - this.#losses[0]!.atMs > LOSS_WINDOW_MS) {
      this.#losses.shift();
    }
  }

  #addBaseline(delay: number, nowMs: number): void {
    if (this.#baselineBucketStart === 0) this.#baselineBucketStart = nowMs;
    let steps = Math.floor((nowMs - this.#baselineBucketStart) / BASELINE_BUCKET_MS);
    if (steps > 0) {
      this.#baselineBucketStart += steps * BASELINE_BUCKET_MS;
      steps = Math.min(steps, BASELINE_BUCKETS);
      for (let s = 0; s < steps; s++) {
        this.#baselineBucket = (this.#baselineBucket + 1) % BASELINE_BUCKETS;
        this.#baseline[this.#baselineBucket] = Infinity;
      }
    }
    if (delay < this.#baseline[this.#baselineBucket]!) {
      this.#baseline[this.#baselineBucket] = delay;
    }
  }

  #baselineMin(): number {
    let min = Infinity;
    for (const v of this.#baseline) if (v < min) min = v;
    return min;
  }
}
