import {
  RTCPeerConnection,
  RTCRtpCodecParameters,
  useNACK,
  usePLI,
  useRepairedRtpStreamId,
  useSdesMid,
  useSdesRTPStreamId,
  useTransportWideCC,
  useTWCC,
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
 *   Also transport-wide sequence numbers (audio and video) with `transport-cc` feedback from
 *   bwe/twcc-responder.ts, so the browser's send-side estimator sees its uplink.
 * - subscribe: transport-wide sequence numbers (draft-holmer-rmcat-transport-wide-cc-extensions-01)
 *   on video with `transport-cc` feedback, from which bwe/downlink-estimator.ts estimates each
 *   subscriber's
 *   downlink (Chromium 156 reported every audio packet lost when audio carried the extension too,
 *   so audio stays out of it: it is small and served first). werift's sender writes the sequence
 *   number; forwarded packets are stripped of the
 *   publisher's extensions first (werift would otherwise merge them into the subscriber's stream).
 */
export const peerConfig = (
  settings: WorkerSettings,
  direction: TransportDirection,
): PeerConnectionConfig => {
  const subscribe = direction === 'subscribe';
  return {
    codecs: {
      audio: [
        new RTCRtpCodecParameters({
          mimeType: 'audio/opus',
          clockRate: 48000,
          channels: 2,
          payloadType: 111,
          parameters: 'minptime=10;useinbandfec=1',
          rtcpFeedback: subscribe ? [] : [useTWCC()],
        }),
      ],
      video: [
        new RTCRtpCodecParameters({
          mimeType: 'video/VP8',
          clockRate: 90000,
          payloadType: 96,
          rtcpFeedback: [useNACK(), usePLI(), useTWCC()],
        }),
      ],
    },
    headerExtensions: subscribe
      ? { audio: [], video: [useTransportWideCC()] }
      : {
          audio: [useTransportWideCC()],
          video: [
            useSdesMid(),
            useSdesRTPStreamId(),
            useRepairedRtpStreamId(),
            useTransportWideCC(),
          ],
        },
    iceServers: settings.iceServers,
    iceAdditionalHostAddresses: settings.iceAdditionalHostAddresses,
    ...(settings.icePortRange ? { icePortRange: settings.icePortRange } : {}),
    bundlePolicy: 'max-bundle',
  };
};
