/**
 * What a publisher's RTCP usually is: a compound packet of sender reports without report blocks
 * (it receives nothing on a publish transport) and SDES (RFC 3550 §6.1, §6.4.1, §6.5). Read here
 * without werift's `RtcpPacketConverter` and router (werift 0.24.4: an object per packet and per
 * chunk, BigInt NTP conversions through buffers, two Events), which took ~150 µs per compound
 * packet in the bench's receive window since such rarely run code stays unoptimised.
 * Anything else (report blocks, feedback, BYE, APP, a malformed length) is left to werift.
 */

/** RFC 3550 §6.4.1 sender info of one SR. */
export interface SenderReport {
  ssrc: number;
  /** NTP timestamp (RFC 5905 §6): seconds and fraction, 32 bits each. */
  ntpSeconds: number;
  ntpFraction: number;
  rtpTimestamp: number;
  packetCount: number;
  octetCount: number;
}

const SR = 200;
const SDES = 202;
/** An SR without report blocks: header, SSRC and the 20 octets of sender info (§6.4.1). */
const SR_LENGTH = 28;

/**
 * The SRs of `rtcp` when it holds only SRs without report blocks and SDES, all well formed
 * (RFC 3550 §6.4.1 length = 32-bit words - 1, version 2); undefined otherwise.
 */
export const senderReportsOnly = (rtcp: Buffer): SenderReport[] | undefined => {
  const reports: SenderReport[] = [];
  let at = 0;
  while (at < rtcp.length) {
    if (at + 4 > rtcp.length || rtcp[at]! >> 6 !== 2) return undefined;
    const length = (rtcp.readUInt16BE(at + 2) + 1) * 4;
    if (at + length > rtcp.length) return undefined;
    const type = rtcp[at + 1]!;
    if (type === SR) {
      if ((rtcp[at]! & 0x1f) !== 0 || length !== SR_LENGTH) return undefined;
      reports.push({
        ssrc: rtcp.readUInt32BE(at + 4),
        ntpSeconds: rtcp.readUInt32BE(at + 8),
        ntpFraction: rtcp.readUInt32BE(at + 12),
        rtpTimestamp: rtcp.readUInt32BE(at + 16),
        packetCount: rtcp.readUInt32BE(at + 20),
        octetCount: rtcp.readUInt32BE(at + 24),
      });
    } else if (type !== SDES) {
      return undefined;
    }
    at += length;
  }
  return reports.length > 0 ? reports : undefined;
};
