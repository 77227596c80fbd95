/**
 * What werift 0.24.4's `RTCRtpReceiver` knows about what it received, for our receiver reports
 * (./publish-rtcp.ts), and its own report loop switched off.
 *
 * - `remoteStreams[ssrc]`: werift's `StreamStatistics`, kept per packet by werift's `handleRTP`
 *   or by the receive fast path (`recordArrival`, ../fastpath/media-routes.ts).
 * - `lastSRtimestamp[ssrc]` (compact NTP) and `receiveLastSRTimestamp[ssrc]` (Date.now() in s):
 *   written by werift's `handleRtcpPacket` for each sender report, which still goes through
 *   werift (../fastpath/inbound.ts).
 * - `runRtcp`: werift's RR loop, started by `handleRTP`; replaced by a no-op on publish receivers.
 * Re-check on werift upgrades (`RTCRtpReceiver.runRtcp`, `remoteStreams`, `handleRtcpPacket`).
 */
import type { RTCRtpReceiver } from 'werift';
import type { ReceptionSource } from './publish-rtcp';
import type { ReceptionStats } from './receiver-report';

interface ReceiverInternals {
  stopped: boolean;
  remoteStreams: Record<number, ReceptionStats | undefined>;
  lastSRtimestamp: Record<number, number | undefined>;
  receiveLastSRTimestamp: Record<number, number | undefined>;
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

const noReports = (): Promise<void> => Promise.resolve();

/** Stops werift's own receiver reports of `receiver` (ours go out instead; idempotent). */
export const silenceWeriftReceiverReports = (receiver: RTCRtpReceiver): void => {
  const r = receiver as unknown as ReceiverInternals;
  r.runRtcp = noReports;
  // a loop already running ends at its next wake-up
  r.rtcpRunning = false;
};
