import { RTCPeerConnection, RTCRtpCodecParameters, useNACK, usePLI } from 'werift';
import type { WorkerSettings } from '../channel/messages';

export type PeerConnectionConfig = NonNullable<ConstructorParameters<typeof RTCPeerConnection>[0]>;

/**
 * One codec per kind, with Chromium's usual payload types (Opus 111, VP8 96) so both directions
 * use the same numbers. No header extensions are negotiated: forwarded packets are stripped of
 * theirs anyway, and werift would merge the publisher's extensions into subscriber streams.
 */
export const peerConfig = (settings: WorkerSettings): PeerConnectionConfig => ({
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
  headerExtensions: { audio: [], video: [] },
  iceServers: settings.iceServers,
  iceAdditionalHostAddresses: settings.iceAdditionalHostAddresses,
  ...(settings.icePortRange ? { icePortRange: settings.icePortRange } : {}),
  bundlePolicy: 'max-bundle',
});
