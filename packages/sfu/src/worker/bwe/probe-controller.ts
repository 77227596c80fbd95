import type { ProbeOutcome } from './downlink-estimator';

/**
 * Finds out whether a subscriber's downlink can carry more than it does now, without risking a
 * bigger simulcast layer on a guess: for up to 600 ms the SFU adds RTP padding (RFC 3550 §5.1,
 * P bit; padding-only packets between frames of a video stream, as libwebrtc sends when RTX is
 * not negotiated) up to a target rate, and the estimator judges the cluster from the
 * transport-cc feedback (DownlinkEstimator.startProbe). Only a successful probe lets the estimate
 * rise above 1.5 x the received rate, so layers are upgraded on evidence, and a capped link sees
 * a short burst of padding, not a key frame of a layer it cannot carry.
 *
 * - A probe starts when the allocation wants more than the estimate (`desired`), nothing was
 *   overused for 1.5 s, and the queue is empty; its target is the desired rate plus 10 %, at most
 *   twice what is sent now (or that plus 300 kbit/s, whichever is more).
 * - It stops early when the queuing delay rises over 30 ms (the link is full: no need to fill
 *   it further).
 * - After a failure the next probe waits 2 s, doubling to 5 s at most, so a lifted cap is found
 *   within seconds; after a success the next step may follow 500 ms later.
 */
export interface ProbeHost {
  /** The downlink estimate (bits/s), null before one. */
  estimate(): number | null;
  /** What the SFU sends this subscriber now (bits/s on the wire). */
  sendRate(): number;
  /** What the allocation would send with no bandwidth limit (bits/s on the wire). */
  desired(): number;
  queuingDelayMs(): number;
  lastOveruseMs(): number;
  startProbe(): number;
  endProbe(nowMs: number): void;
  probeOutcome(id: number, nowMs: number): ProbeOutcome;
  /** Sends up to `bytes` of padding; returns the bytes sent (0 if no stream can carry it now). */
  sendPadding(bytes: number, nowMs: number): number;
}

export const PROBE_DURATION_MS = 600;
const TICK_MS = 15;
const MIN_BACKOFF_MS = 2000;
const MAX_BACKOFF_MS = 5000;
const ABORT_QUEUING_MS = 30;

export interface ProbeStats {
  probes: number;
  succeeded: number;
  paddingBytes: number;
}

export class ProbeController {
  readonly #host: ProbeHost;
  #timer: NodeJS.Timeout | undefined;
  #probeId = 0;
  /** While a probe runs: its padding rate (bits/s), start and last tick. */
  #padRate = 0;
  #startedAt = 0;
  #lastTickAt = 0;
  #awaiting = false;
  #nextAt = 0;
  #backoff = 0;
  #closed = false;
  readonly stats: ProbeStats = { probes: 0, succeeded: 0, paddingBytes: 0 };

  constructor(host: ProbeHost) {
    this.#host = host;
  }

  get probing(): boolean {
    return this.#timer !== undefined;
  }

  /** Called by the allocation (every 500 ms): starts a probe when one is due. */
  tick(nowMs: number): void {
    if (this.#closed || this.probing) return;
    const host = this.#host;
    if (this.#awaiting) {
      const outcome = host.probeOutcome(this.#probeId, nowMs);
      if (outcome === 'pending') return;
      this.#awaiting = false;
      if (outcome === 'success') {
        this.stats.succeeded++;
        this.#backoff = 0;
        this.#nextAt = nowMs + 500;
      } else {
        this.#backoff = Math.min(MAX_BACKOFF_MS, Math.max(MIN_BACKOFF_MS, this.#backoff * 2));
        this.#nextAt = nowMs + this.#backoff;
      }
    }
    const estimate = host.estimate();
    if (estimate === null || nowMs < this.#nextAt) return;
    const desired = host.desired();
    if (desired <= estimate) return;
    if (nowMs - host.lastOveruseMs() < 1500 || host.queuingDelayMs() > 10) return;
    const send = host.sendRate();
    const target = Math.min(desired * 1.1, Math.max(2 * send, send + 300_000));
    if (target <= send) return;
    this.#padRate = target - send;
    this.#probeId = host.startProbe();
    this.#startedAt = nowMs;
    this.#lastTickAt = nowMs;
    this.stats.probes++;
    this.#timer = setInterval(() => this.#pad(performance.now()), TICK_MS);
    this.#timer.unref();
  }

  close(): void {
    this.#closed = true;
    this.#stop(performance.now());
  }

  #pad(nowMs: number): void {
    const host = this.#host;
    if (nowMs - this.#startedAt >= PROBE_DURATION_MS || host.queuingDelayMs() > ABORT_QUEUING_MS) {
      this.#stop(nowMs);
      return;
    }
    const bytes = Math.round((this.#padRate / 8) * ((nowMs - this.#lastTickAt) / 1000));
    this.#lastTickAt = nowMs;
    if (bytes > 0) this.stats.paddingBytes += host.sendPadding(bytes, nowMs);
  }

  #stop(nowMs: number): void {
    if (!this.#timer) return;
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#host.endProbe(nowMs);
    this.#awaiting = true;
  }
}
