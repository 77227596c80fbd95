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

/** Chromium's usual payload types for VP8 and its RTX stream (RFC 4588 §8). */
export const VP8_PAYLOAD_TYPE = 96;
export const RTX_PAYLOAD_TYPE = 97;

export type PeerConnectionConfig = NonNullable<ConstructorParameters<typeof RTCPeerConnection>[0]>;

/**
 * One codec per kind, with Chromium's usual payload types (Opus 111, VP8 96) so both directions
 * use the same numbers.
 *
 * RTX (RFC 4588), per direction:
 * - subscribe video offers `rtx` (PT 97, `apt=96`) and werift adds the RTX SSRC with
 *   `a=ssrc-group:FID` (§8.6): a NACKed packet is resent on that SSRC with its own sequence
 *   numbers (fastpath/fast-sender.ts), so it never reuses the SRTP index, hence the AES-GCM IV, of
 *   the original with a different header (RFC 7714 §14). A subscriber that answers without `rtx`
 *   gets the byte-identical original again.
 * - publish video accepts `rtx` too: werift's receiver NACKs publishers (`nack` feedback) and a
 *   browser answers on its RTX stream, a fresh SRTP index (without RTX libwebrtc resent on the
 *   media SSRC: same index, new transport-wide number). werift 0.24.4 does not map a simulcast
 *   layer's RTX stream (media/router.ts): the producer claims it (./publisher-rtx.ts).
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
          payloadType: VP8_PAYLOAD_TYPE,
          rtcpFeedback: [useNACK(), usePLI(), useTWCC()],
        }),
        // RFC 4588 §8.6: retransmissions of VP8 on their own SSRC, both directions
        new RTCRtpCodecParameters({
          mimeType: 'video/rtx',
          clockRate: 90000,
          payloadType: RTX_PAYLOAD_TYPE,
          parameters: `apt=${VP8_PAYLOAD_TYPE}`,
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
