import {
  RTCPeerConnection,
  RTCRtpCodecParameters,
  useNACK,
  usePLI,
  useRepairedRtpStreamId,
  useSdesMid,
  useSdesRTPStreamId,
} from 'werift';
import type { TransportDirection, WorkerSettings } from '../channel/messages';

export type PeerConnectionConfig = NonNullable<ConstructorParameters<typeof RTCPeerConnection>[0]>;

/**
 * One codec per kind, with Chromium's usual payload types (Opus 111, VP8 96) so both directions
 * use the same numbers.
 *
 * Header extensions, per direction:
 * - publish video: `sdes:mid`, `sdes:rtp-stream-id` and `sdes:repaired-rtp-stream-id`, which
 *   simulcast needs (RFC 8853 §5.1, RFC 8852): packets of each layer carry their rid until the
 *   SSRC is known. Without them a browser's `sendEncodings` with rids is refused.
 * - subscribe: none yet. Forwarded packets are stripped of the publisher's extensions (werift
 *   would otherwise merge them into the subscriber's stream).
 */
export const peerConfig = (
  settings: WorkerSettings,
  direction: TransportDirection,
): PeerConnectionConfig => ({
  codecs: {
    audio: [
      new RTCRtpCodecParameters({
        mimeType: 'audio/opus',
        clockRate: 48000,
        channels: 2,
        payloadType: 111,
        parameters: 'minptime=10;useinbandfec=1',
        rtcpFeedback: [],
      }),
    ],
    video: [
      new RTCRtpCodecParameters({
        mimeType: 'video/VP8',
        clockRate: 90000,
        payloadType: 96,
        rtcpFeedback: [useNACK(), usePLI()],
      }),
    ],
  },
  headerExtensions:
    direction === 'publish'
      ? { audio: [], video: [useSdesMid(), useSdesRTPStreamId(), useRepairedRtpStreamId()] }
      : { audio: [], video: [] },
  iceServers: settings.iceServers,
  iceAdditionalHostAddresses: settings.iceAdditionalHostAddresses,
  ...(settings.icePortRange ? { icePortRange: settings.icePortRange } : {}),
  bundlePolicy: 'max-bundle',
});
