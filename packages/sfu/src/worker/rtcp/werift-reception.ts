/**
 * What werift 0.24.4's `RTCRtpReceiver` knows about what it received, for our receiver reports
 * (./publish-rtcp.ts), and its own report loop switched off.
 *
 * - `remoteStreams[ssrc]`: werift's `StreamStatistics`, kept per packet by werift's `handleRTP`
 *   or by the receive fast path (`recordArrival`, ../fastpath/media-routes.ts).
 * - `lastSRtimestamp[ssrc]` (compact NTP) and `receiveLastSRTimestamp[ssrc]` (Date.now() in s),
 *   and the sender's counts for getStats: written per sender report by `recordSenderReport`
 *   (from ../fastpath/inbound.ts) as werift's `handleRtcpPacket` writes them.
 * - `runRtcp`: werift's RR loop, started by `handleRTP`; replaced by a no-op on publish receivers.
 * Re-check on werift upgrades (`RTCRtpReceiver.runRtcp`, `remoteStreams`, `handleRtcpPacket`).
 */
import type { RTCRtpReceiver } from 'werift';
import type { ReceptionSource } from './publish-rtcp';
import type { SenderReport } from '../fastpath/sender-reports';
import type { ReceptionStats } from './receiver-report';

interface ReceiverInternals {
  stopped: boolean;
  remoteStreams: Record<number, ReceptionStats | undefined>;
  lastSRtimestamp: Record<number, number | undefined>;
  receiveLastSRTimestamp: Record<number, number | undefined>;
  senderReportsReceivedBySsrc: Record<number, number | undefined>;
  remoteTimestampsBySsrc: Record<number, number | undefined>;
  remotePacketCountBySsrc: Record<number, number | undefined>;
  remoteOctetCountBySsrc: Record<number, number | undefined>;
  rtcpRunning: boolean;
  runRtcp(): Promise<void>;
}

/** The SSRCs `receivers` got, with their statistics and last sender reports. */
export function* receptionSources(receivers: Iterable<RTCRtpReceiver>): Iterable<ReceptionSource> {
  for (const receiver of receivers) {
    const r = receiver as unknown as ReceiverInternals;
    if (r.stopped) continue;
    for (const key in r.remoteStreams) {
      const ssrc = Number(key);
      const stats = r.remoteStreams[ssrc];
      if (!stats) continue;
      const lsr = r.lastSRtimestamp[ssrc];
      const receivedAtS = r.receiveLastSRTimestamp[ssrc];
      yield {
        ssrc,
        stats,
        lastSr: lsr !== undefined && receivedAtS !== undefined ? { lsr, receivedAtS } : undefined,
      };
    }
  }
}

/** Unix epoch in NTP seconds (RFC 5905 §6: era 0 starts in 1900). */
const NTP_UNIX_OFFSET_S = 2208988800;

/** werift's `handleRtcpPacket` for a sender report of `receiver`, but its two Events. */
export const recordSenderReport = (
  receiver: RTCRtpReceiver,
  report: SenderReport,
  nowS: number,
): void => {
  const r = receiver as unknown as ReceiverInternals;
  const ssrc = report.ssrc;
  // RFC 3550 §6.4.1 LSR: the middle 32 bits of the NTP timestamp
  r.lastSRtimestamp[ssrc] = ((report.ntpSeconds << 16) | (report.ntpFraction >>> 16)) >>> 0;
  r.receiveLastSRTimestamp[ssrc] = nowS;
  r.senderReportsReceivedBySsrc[ssrc] = (r.senderReportsReceivedBySsrc[ssrc] ?? 0) + 1;
  // getStats' remote-outbound `remoteTimestamp`, in ms since 1970 (werift adds the fraction
  // as if it were milliseconds; here it is the fraction of a second)
  r.remoteTimestampsBySsrc[ssrc] =
    (report.ntpSeconds - NTP_UNIX_OFFSET_S) * 1000 + (report.ntpFraction / 0x100000000) * 1000;
  r.remotePacketCountBySsrc[ssrc] = report.packetCount;
  r.remoteOctetCountBySsrc[ssrc] = report.octetCount;
};

const noReports = (): Promise<void> => Promise.resolve();

/** Stops werift's own receiver reports of `receiver` (ours go out instead; idempotent). */
export const silenceWeriftReceiverReports = (receiver: RTCRtpReceiver): void => {
  const r = receiver as unknown as ReceiverInternals;
  r.runRtcp = noReports;
  // a loop already running ends at its next wake-up
  r.rtcpRunning = false;
};
