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
 *   under 5 % allows growth.
 * - Audio carries no transport-wide sequence numbers (see codecs.ts): its rate
 *   (`setUntrackedRate`) is added to what the feedback shows arrived.
 * - Growth must be evidenced (§5.5: "the estimate is bounded by 1.5 x the received rate"): without
 *   a probe it never exceeds 1.5 x what arrived plus 50 kbit/s. To find more, the SFU probes
 *   (`startProbe`/`endProbe`, padding sent by ProbeController): every packet sent in between
 *   belongs to the probe cluster; when the feedback has covered it, a cluster that arrived at
 *   (nearly) the rate it was sent, with no overuse and little loss, raises the estimate to what
 *   arrived (the idea of GCC's probe bitrate estimator, as in libwebrtc).
 */
const RING = 8192;
const BASELINE_BUCKET_MS = 1000;
const BASELINE_BUCKETS = 10;
const OVERUSE_MS = 50;
const NORMAL_MS = 20;
const RATE_WINDOW_MS = 500;
const LOSS_WINDOW_MS = 1000;
/** A probe's outcome is decided this long after it ended even if feedback is missing. */
const PROBE_RESULT_TIMEOUT_MS = 1000;

export type ProbeOutcome = 'pending' | 'success' | 'failure';

interface Cluster {
  id: number;
  endedAtMs: number;
  overusesAtStart: number;
  sentBytes: number;
  firstSentMs: number;
  lastSentMs: number;
  packets: number;
  reported: number;
  lost: number;
  recvBytes: number;
  firstRecvMs: number;
  lastRecvMs: number;
  outcome: ProbeOutcome;
}

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
  /** Probe cluster id of each sent packet (0: none). */
  readonly #sentCluster = new Uint32Array(RING);
  #cluster: Cluster | undefined;
  #nextClusterId = 1;
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
  /** Sent without transport-wide sequence numbers (audio), bits/s: part of what arrives. */
  #untracked = 0;
  #losses: { atMs: number; lost: number; total: number }[] = [];

  /** A packet with this transport-wide sequence number left for the subscriber. */
  onPacketSent(transportSeq: number, bytes: number, nowMs: number): void {
    const i = transportSeq % RING;
    this.#sentSeq[i] = transportSeq;
    this.#sentAt[i] = nowMs;
    this.#sentSize[i] = Math.min(0xffff, bytes);
    const c = this.#cluster;
    if (c && c.endedAtMs === Infinity) {
      this.#sentCluster[i] = c.id;
      if (c.packets === 0) c.firstSentMs = nowMs;
      c.lastSentMs = nowMs;
      c.packets++;
      c.sentBytes += bytes;
    } else {
      this.#sentCluster[i] = 0;
    }
  }

  /**
   * What the SFU sends this subscriber without transport-wide sequence numbers (its audio),
   * bits/s on the wire. The feedback cannot show it, but it shares the link: it is added to the
   * received rate the estimate is derived from.
   */
  setUntrackedRate(bps: number): void {
    this.#untracked = Math.max(0, bps);
  }

  /** Packets sent from now on form a probe cluster; returns its id. */
  startProbe(): number {
    const id = this.#nextClusterId++;
    this.#cluster = {
      id,
      endedAtMs: Infinity,
      overusesAtStart: this.#overuses,
      sentBytes: 0,
      firstSentMs: 0,
      lastSentMs: 0,
      packets: 0,
      reported: 0,
      lost: 0,
      recvBytes: 0,
      firstRecvMs: Infinity,
      lastRecvMs: Number.NEGATIVE_INFINITY,
      outcome: 'pending',
    };
    return id;
  }

  endProbe(nowMs: number): void {
    if (this.#cluster && this.#cluster.endedAtMs === Infinity) this.#cluster.endedAtMs = nowMs;
  }

  /** The outcome of probe `id` (decided once feedback covered it, or a second after it ended). */
  probeOutcome(id: number, nowMs: number): ProbeOutcome {
    const c = this.#cluster;
    if (!c || c.id !== id) return 'failure';
    if (c.outcome === 'pending' && nowMs - c.endedAtMs > PROBE_RESULT_TIMEOUT_MS) {
      this.#decideProbe(c);
    }
    return c.outcome;
  }

  /** Time of the last overuse (performance.now() ms), -Infinity if none. */
  get lastOveruseMs(): number {
    return this.#lastOveruseMs;
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
      if (this.#sentSeq[i] !== seq) continue; // not ours, too old, or reported already
      // each sequence number counts once: a later report (a late or duplicated packet) would
      // measure its delay from the first send
      this.#sentSeq[i] = -1;
      total++;
      const recv = fb.receivedAtMs[k]!;
      const c = this.#cluster;
      const inCluster = c !== undefined && c.outcome === 'pending' && this.#sentCluster[i] === c.id;
      if (inCluster) {
        this.#sentCluster[i] = 0; // reported once
        c.reported++;
      }
      if (Number.isNaN(recv)) {
        lost++;
        if (inCluster) c.lost++;
        continue;
      }
      if (inCluster) {
        c.recvBytes += this.#sentSize[i]!;
        if (recv < c.firstRecvMs) c.firstRecvMs = recv;
        if (recv > c.lastRecvMs) c.lastRecvMs = recv;
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
    const c = this.#cluster;
    if (c && c.outcome === 'pending' && c.endedAtMs !== Infinity && c.reported >= c.packets) {
      this.#decideProbe(c);
    }
  }

  /**
   * A cluster succeeded if it arrived at 85 % or more of the rate it was sent, with no overuse
   * since it started and under 10 % loss: then what arrived is available.
   */
  #decideProbe(c: Cluster): void {
    const sendMs = c.lastSentMs - c.firstSentMs;
    const recvMs = c.lastRecvMs - c.firstRecvMs;
    if (c.packets < 5 || sendMs <= 0 || recvMs <= 0) {
      c.outcome = 'failure';
      return;
    }
    const sendRate = (c.sentBytes * 8 * 1000) / sendMs;
    // the first arrival opens the interval: its bytes are not part of the rate
    const recvRate = ((c.recvBytes * (c.packets - 1)) / c.packets) * 8 * (1000 / recvMs);
    const ok =
      this.#overuses === c.overusesAtStart &&
      c.lost <= c.packets * 0.1 &&
      recvRate >= sendRate * 0.85 &&
      this.#queuingMs < OVERUSE_MS;
    c.outcome = ok ? 'success' : 'failure';
    if (ok && this.#estimate !== null) {
      const carried = (Math.min(sendRate, recvRate) + this.#untracked) * 0.95;
      this.#estimate = Math.max(this.#estimate, carried);
    }
  }

  #update(nowMs: number): void {
    const received = this.#receiveRate() + this.#untracked;
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
      // §5.5: one decrease per response time; until the queue has had time to show what the
      // last one did (its delay plus 200 ms), the same queue is not evidence of new overuse
      if (nowMs - this.#lastOveruseMs > Math.max(200, this.#queuingMs + 200)) {
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
    // §6 holds between 2 and 10 % loss; here growth continues up to 5 %: random loss of that
    // order (radio links) is not congestion, which a tail-drop queue shows as delay first
    if (this.#queuingMs < NORMAL_MS && loss < 0.05 && nowMs - this.#lastOveruseMs > 500) {
      const calm = nowMs - this.#lastOveruseMs > 2000;
      // multiplicative, with an additive floor (200 kbit/s per second when calm) so an estimate
      // that collapsed under heavy loss climbs back in seconds, not minutes
      const grown = Math.max(
        this.#estimate * (calm ? 1.3 : 1.08) ** dt,
        this.#estimate + (calm ? 200_000 : 0) * dt,
      );
      const cap = Math.max(this.#estimate, 1.5 * received + 50_000);
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
