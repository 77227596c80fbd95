/**
 * The RTCP a media worker originates towards its publishers: transport-cc feedback every 100 ms
 * (../bwe/twcc-responder.ts) and receiver reports about once a second (./receiver-report.ts), for
 * every publish transport of the thread from one shared 100 ms timer.
 *
 * - One timer per thread: each wake-up of an otherwise idle media worker costs tens of µs of CPU
 *   here, more than building the packets (per-transport timers were measured: 6 publishers,
 *   context switches -14 %, worker CPU -7 % with one). While media arrives, the tick runs from
 *   the packet that finds it due (`pollRtcpTick`), and the timer (re-armed each tick,
 *   `FALLBACK_MS`) does not fire at all: ten wake-ups a second fewer.
 * - One RR per transport with a block per received SSRC, due every 0.5-1.5 s (RFC 3550 §6.3.5:
 *   the interval randomized around 1 s, the browser's own rate for video), instead of werift's
 *   per-receiver loop (a timer, a promise chain and an SRTCP packet each, ~280 µs per report in
 *   the bench since such rarely run code stays unoptimised).
 * - When both are due they go in one compound packet, RR first (RFC 3550 §6.1); feedback alone
 *   is a reduced-size RTCP packet (RFC 5506 §3), as the browser sends it too.
 */
import { TwccResponder } from '../bwe/twcc-responder';
import {
  reportBlock,
  serializeReceiverReports,
  type LastSenderReport,
  type ReceptionStats,
} from './receiver-report';

/** One received SSRC: its statistics and its last sender report. */
export interface ReceptionSource {
  ssrc: number;
  stats: ReceptionStats;
  lastSr: LastSenderReport | undefined;
}

export interface PublishRtcpOptions {
  /** Our SSRC in these packets (RFC 3550 §6.4.2 SSRC of packet sender), random per transport. */
  senderSsrc: number;
  /** The SSRCs received on the transport now. */
  sources: () => Iterable<ReceptionSource>;
  /** Sends a (compound) RTCP packet; it protects it. */
  send: (rtcp: Buffer) => void;
  /** Uniform in [0, 1) (tests pass their own). */
  random?: () => number;
}

export const TICK_MS = 100;
/**
 * The timer's period: a little longer than a tick, so that while media flows the tick runs from
 * a packet's wake-up (`onTransportSeq`) and the timer, pushed back each tick, never fires.
 */
export const FALLBACK_MS = TICK_MS + 20;
/** RFC 3550 §6.3.1 T for our reports: 1 s, times a factor in [0.5, 1.5] (§6.3.5). */
const REPORT_INTERVAL_MS = 1000;

const members = new Set<PublishRtcp>();
let ticker: NodeJS.Timeout | undefined;
let nextTickAtMs = 0;

const tickAll = (): void => {
  const nowMs = performance.now();
  nextTickAtMs = nowMs + TICK_MS;
  ticker?.refresh();
  const nowS = Date.now() / 1000;
  for (const member of members) {
    try {
      member.tick(nowMs, nowS);
    } catch {
      // one transport's failure must not hold back the others' RTCP
    }
  }
};

/**
 * A received packet's wake-up (`nowMs`: performance clock): runs the thread's tick if one is
 * due, since this wake-up is paid for already (the media worker calls it per received packet).
 */
export const pollRtcpTick = (nowMs: number): void => {
  if (ticker !== undefined && nowMs >= nextTickAtMs) tickAll();
};

/** One publish transport's RTCP to its publisher. */
export class PublishRtcp {
  readonly #options: PublishRtcpOptions;
  readonly #twcc: TwccResponder;
  readonly #random: () => number;
  #reportDueMs: number;
  #closed = false;

  constructor(options: PublishRtcpOptions) {
    this.#options = options;
    this.#twcc = new TwccResponder(options.senderSsrc);
    this.#random = options.random ?? Math.random;
    this.#reportDueMs = performance.now() + this.#reportInterval();
    members.add(this);
    if (!ticker) {
      nextTickAtMs = performance.now() + TICK_MS;
      ticker = setInterval(tickAll, FALLBACK_MS);
      ticker.unref();
    }
  }

  /** A received packet's transport-wide sequence number (16 bits) and arrival time. */
  onTransportSeq(seq16: number, ssrc: number, nowMs: number): void {
    this.#twcc.onPacket(seq16, ssrc, nowMs);
  }

  /** What is due at `nowMs` (performance clock; `nowS`: wall clock, s, for DLSR) goes out. */
  tick(nowMs: number, nowS: number): void {
    if (this.#closed) return;
    let report: Buffer | undefined;
    if (nowMs >= this.#reportDueMs) {
      this.#reportDueMs = nowMs + this.#reportInterval();
      report = this.#receiverReport(nowS);
    }
    const feedback = this.#twcc.take();
    if (report && feedback) this.#options.send(Buffer.concat([report, feedback]));
    else if (report ?? feedback) this.#options.send((report ?? feedback)!);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    members.delete(this);
    if (members.size > 0 || !ticker) return;
    clearInterval(ticker);
    ticker = undefined;
  }

  /** RRs with a block per received SSRC; none before anything was received. */
  #receiverReport(nowS: number): Buffer | undefined {
    const blocks = [];
    for (const source of this.#options.sources()) {
      if (source.stats.max_seq === undefined) continue;
      blocks.push(reportBlock(source.ssrc, source.stats, source.lastSr, nowS));
    }
    return blocks.length > 0
      ? serializeReceiverReports(this.#options.senderSsrc, blocks)
      : undefined;
  }

  #reportInterval(): number {
    return REPORT_INTERVAL_MS * (0.5 + this.#random());
  }
}
