/**
 * RTCP receiver reports to a publisher (RFC 3550 §6.4.2), built from the reception statistics
 * the receive fast path keeps per SSRC (werift's `StreamStatistics` fields, updated per packet by
 * `recordArrival` in ../fastpath/media-routes.ts) and the last sender report of that SSRC.
 *
 * The browser needs them for its round-trip time (LSR/DLSR, §6.4.1) and its loss-based rate
 * control (fraction lost); werift 0.24.4 sent one RR per receiver from its own loop, a timer and
 * an SRTCP packet each. Here one compound packet per publish transport carries a block per
 * received SSRC (./publish-rtcp.ts).
 */
import type { StreamStatisticsFields } from '../fastpath/media-routes';

/** RFC 3550 §6.4.1 report block. */
export interface ReportBlock {
  ssrc: number;
  /** Fraction of packets lost since the previous report, in 1/256 (8 bits). */
  fractionLost: number;
  /** Cumulative number of packets lost (signed 24 bits). */
  cumulativeLost: number;
  /** Extended highest sequence number received (cycles in the upper 16 bits). */
  highestSeq: number;
  /** Interarrival jitter in timestamp units. */
  jitter: number;
  /** Middle 32 bits of the last sender report's NTP timestamp, 0 before one arrived. */
  lsr: number;
  /** Delay since that sender report in 1/65536 s, 0 before one arrived. */
  dlsr: number;
}

/** The reception statistics of one SSRC, plus what the previous report saw (§A.3). */
export interface ReceptionStats extends StreamStatisticsFields {
  expected_prior: number;
  received_prior: number;
}

/** The last sender report of an SSRC: its compact NTP time and our arrival time. */
export interface LastSenderReport {
  /** RFC 3550 §6.4.1 LSR: middle 32 bits of the SR's NTP timestamp. */
  lsr: number;
  /** When it arrived, in seconds (same clock as `nowS`). */
  receivedAtS: number;
}

const MAX_LOST = 0x7fffff;
const MIN_LOST = -0x800000;

/**
 * The report block of `ssrc` now, and the interval bookkeeping advanced to now (RFC 3550 §A.3:
 * expected_prior and received_prior are the values at the previous report).
 */
export const reportBlock = (
  ssrc: number,
  s: ReceptionStats,
  lastSr: LastSenderReport | undefined,
  nowS: number,
): ReportBlock => {
  const maxSeq = s.max_seq ?? 0;
  const baseSeq = s.base_seq ?? maxSeq;
  // §A.3: extended_max = cycles + max_seq; expected = extended_max - base_seq + 1
  const extendedMax = s.cycles + maxSeq;
  const expected = s.max_seq === undefined ? 0 : extendedMax - baseSeq + 1;
  const lost = Math.min(MAX_LOST, Math.max(MIN_LOST, expected - s.packets_received));
  const expectedInterval = expected - s.expected_prior;
  const receivedInterval = s.packets_received - s.received_prior;
  s.expected_prior = expected;
  s.received_prior = s.packets_received;
  const lostInterval = expectedInterval - receivedInterval;
  const fractionLost =
    expectedInterval === 0 || lostInterval <= 0
      ? 0
      : Math.floor((lostInterval * 256) / expectedInterval);
  let lsr = 0;
  let dlsr = 0;
  if (lastSr) {
    // §6.4.1 DLSR: the delay between receiving that SR and sending this block, in 1/65536 s
    const delayS = nowS - lastSr.receivedAtS;
    lsr = lastSr.lsr >>> 0;
    if (delayS > 0 && delayS < 65536) dlsr = Math.floor(delayS * 65536);
  }
  return {
    ssrc,
    fractionLost: Math.min(255, fractionLost),
    cumulativeLost: lost,
    highestSeq: extendedMax >>> 0,
    // §A.8: the running estimate is kept scaled by 16
    jitter: s.jitter_q4 >> 4,
    lsr,
    dlsr,
  };
};

/** RFC 3550 §6.4.2: at most 31 report blocks per RR (5-bit RC). */
export const MAX_BLOCKS = 31;

/**
 * RR packets (PT 201) of `senderSsrc` carrying `blocks`, 31 per packet, concatenated (the start of
 * a compound packet, RFC 3550 §6.1). One RR with no block when `blocks` is empty.
 */
export const serializeReceiverReports = (
  senderSsrc: number,
  blocks: readonly ReportBlock[],
): Buffer => {
  const packets = Math.max(1, Math.ceil(blocks.length / MAX_BLOCKS));
  const out = Buffer.alloc(packets * 8 + blocks.length * 24);
  let offset = 0;
  for (let p = 0; p < packets; p++) {
    const chunk = blocks.slice(p * MAX_BLOCKS, (p + 1) * MAX_BLOCKS);
    // §6.4.2 header: V=2, P=0, RC, PT=201, length in 32-bit words minus one
    out[offset] = 0x80 | chunk.length;
    out[offset + 1] = 201;
    out.writeUInt16BE(1 + chunk.length * 6, offset + 2);
    out.writeUInt32BE(senderSsrc >>> 0, offset + 4);
    offset += 8;
    for (const b of chunk) {
      out.writeUInt32BE(b.ssrc >>> 0, offset);
      out[offset + 4] = b.fractionLost;
      out.writeIntBE(b.cumulativeLost, offset + 5, 3);
      out.writeUInt32BE(b.highestSeq >>> 0, offset + 8);
      out.writeUInt32BE(b.jitter >>> 0, offset + 12);
      out.writeUInt32BE(b.lsr >>> 0, offset + 16);
      out.writeUInt32BE(b.dlsr >>> 0, offset + 20);
      offset += 24;
    }
  }
  return out;
};
