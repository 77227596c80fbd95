/**
 * Transport-wide congestion control feedback *to* a publisher
 * (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1), so the browser's send-side
 * estimator (GCC) sees the uplink's delay and loss and sends simulcast layers that fit. werift's
 * own generator misreports losses and receive times (it led Chromium's estimate to collapse to
 * about 100 kbit/s in the SFU probe), so it is disabled and this one answers.
 *
 * Every 100 ms (../rtcp/publish-rtcp.ts): one packet covering the sequence numbers that arrived since the last one, as
 * two-bit status vector chunks (7 statuses each: 0 lost, 1 small delta, 2 large delta), then
 * the receive deltas in 250 us units (§3.1.5), zero-padded to 32 bits (RFC 3550 §6.4.1 P bit).
 * Each packet starts where the previous one ended, so a packet lost between two feedback
 * intervals is reported lost (libwebrtc's receiver does the same; a sender cannot tell a
 * sequence number that no feedback mentions from one still in flight).
 */
export interface Arrival {
  /** Unwrapped transport-wide sequence number. */
  seq: number;
  atMs: number;
}

export const buildTwccFeedback = (
  senderSsrc: number,
  mediaSsrc: number,
  feedbackCount: number,
  arrivals: readonly Arrival[],
  /** First sequence number to report (default: the first arrival's); earlier ones are lost. */
  baseSeq?: number,
): Buffer | undefined => {
  if (arrivals.length === 0) return undefined;
  const first = arrivals[0]!;
  const last = arrivals[arrivals.length - 1]!;
  const base = baseSeq !== undefined && baseSeq <= first.seq ? baseSeq : first.seq;
  const count = Math.min(0xffff, last.seq - base + 1);
  const statuses = new Uint8Array(count);
  const deltas: number[] = [];
  // §3.1: reference time in 64 ms units (24 bits); deltas start from it
  const reference = Math.floor(first.atMs / 64);
  let prevUs = reference * 64_000;
  for (const a of arrivals) {
    const i = a.seq - base;
    if (i >= count || statuses[i] !== 0) continue;
    const atUs = Math.round(a.atMs * 1000);
    const units = Math.round((atUs - prevUs) / 250);
    if (units < -32768 || units > 32767) continue; // not representable: reported lost
    statuses[i] = units >= 0 && units <= 255 ? 1 : 2;
    deltas.push(units);
    prevUs += units * 250;
  }
  const chunks = Math.ceil(count / 7);
  let deltaBytes = 0;
  for (const d of deltas) deltaBytes += d >= 0 && d <= 255 ? 1 : 2;
  const body = 16 + chunks * 2 + deltaBytes;
  const padded = Math.ceil(body / 4) * 4;
  const pad = padded - body;
  const out = Buffer.alloc(4 + padded);
  // RFC 4585 §6.1 common header: V=2, P, FMT=15 (transport-cc), PT=205 (RTPFB), length
  out[0] = 0x80 | (pad > 0 ? 0x20 : 0) | 15;
  out[1] = 205;
  out.writeUInt16BE(padded / 4, 2);
  out.writeUInt32BE(senderSsrc >>> 0, 4);
  out.writeUInt32BE(mediaSsrc >>> 0, 8);
  out.writeUInt16BE(base & 0xffff, 12);
  out.writeUInt16BE(count, 14);
  out.writeUIntBE(reference & 0xffffff, 16, 3);
  out[19] = feedbackCount & 0xff;
  let offset = 20;
  for (let c = 0; c < chunks; c++) {
    let chunk = 0xc000;
    for (let k = 0; k < 7; k++) {
      const s = statuses[c * 7 + k] ?? 0;
      chunk |= s << ((6 - k) * 2);
    }
    out.writeUInt16BE(chunk, offset);
    offset += 2;
  }
  for (const d of deltas) {
    if (d >= 0 && d <= 255) out[offset++] = d;
    else {
      out.writeInt16BE(d, offset);
      offset += 2;
    }
  }
  if (pad > 0) out[out.length - 1] = pad;
  return out;
};

/**
 * Collects one publish transport's arrivals; `take()` gives the feedback since the last one
 * (../rtcp/publish-rtcp.ts calls it every 100 ms).
 */
export class TwccResponder {
  readonly #senderSsrc: number;
  #arrivals: Arrival[] = [];
  #lastSeq = -1;
  #mediaSsrc = 0;
  #count = 0;
  /** The sequence number after the last one reported, -1 before the first feedback. */
  #nextSeq = -1;

  constructor(senderSsrc: number) {
    this.#senderSsrc = senderSsrc;
  }

  onPacket(seq16: number, ssrc: number, nowMs: number): void {
    // unwrap against the last one seen (RFC 3550 Appendix A.1 style)
    let seq = seq16;
    if (this.#lastSeq >= 0) {
      const d =
        ((seq16 - this.#lastSeq) & 0xffff) - ((seq16 - this.#lastSeq) & 0x8000 ? 0x10000 : 0);
      seq = this.#lastSeq + d;
      if (d > 0) this.#lastSeq = seq;
    } else {
      this.#lastSeq = seq;
    }
    this.#mediaSsrc = ssrc;
    if (this.#arrivals.length < 2000) this.#arrivals.push({ seq, atMs: nowMs });
  }

  /** The feedback packet for the arrivals since the last one, if any arrived. */
  take(): Buffer | undefined {
    if (this.#arrivals.length === 0) return undefined;
    const arrivals = this.#arrivals.sort((a, b) => a.seq - b.seq);
    this.#arrivals = [];
    const first = arrivals[0]!.seq;
    // a gap of up to 1000 since the last feedback is reported lost; a longer one is a restart
    const base = this.#nextSeq >= 0 && first - this.#nextSeq <= 1000 ? this.#nextSeq : first;
    this.#nextSeq = Math.max(this.#nextSeq, arrivals[arrivals.length - 1]!.seq + 1);
    return buildTwccFeedback(this.#senderSsrc, this.#mediaSsrc, this.#count++, arrivals, base);
  }
}
