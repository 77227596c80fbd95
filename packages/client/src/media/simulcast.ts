/**
 * Camera simulcast layers (RFC 8853; WebRTC `sendEncodings` with rids), lowest first: the SFU
 * takes the order of `a=simulcast` as the layer order and forwards each subscriber the layer that
 * fits its tile and downlink.
 *
 * libwebrtc caps the number of simulcast layers by input size (about 3 from 960x540, 2 from
 * 480x270, 1 below) and drops the *top* encodings beyond the cap, so the count is chosen from
 * the camera's height: 720p gives 180p/360p/720p, 480p gives 240p/480p, 240p stays one layer.
 *
 * The lowest layer is what a constrained person gets (a weak downlink at the receiver, or a weak
 * uplink here): under 90 kbit/s, so two of them with their audio fit a 400 kbit/s link with room
 * for retransmissions, and a 200 kbit/s uplink still carries it. (A lower frame rate for it alone
 * is not possible: Chromium 1xx applies one layer's `maxFramerate` to the whole VP8 simulcast
 * encoder, so the top layer would drop to it too.)
 */
export interface SimulcastLayer {
  rid: string;
  scaleResolutionDownBy: number;
  maxBitrate: number;
}

/** Bits per second for a layer of this height (VP8, talking-head content). */
const bitrateFor = (height: number): number => {
  if (height >= 720) return 1_500_000;
  if (height >= 540) return 1_000_000;
  if (height >= 360) return 600_000;
  // low layers stay small (see above)
  if (height >= 240) return 90_000;
  if (height >= 180) return 80_000;
  return 60_000;
};

/** The encodings for a camera of this height, or undefined for one layer (no simulcast). */
export function simulcastEncodings(height: number): SimulcastLayer[] | undefined {
  const scales = height >= 540 ? [4, 2, 1] : height >= 270 ? [2, 1] : undefined;
  if (!scales) return undefined;
  const rids = scales.length === 3 ? ['l', 'm', 'h'] : ['l', 'h'];
  return scales.map((scale, i) => ({
    rid: rids[i]!,
    scaleResolutionDownBy: scale,
    maxBitrate: bitrateFor(Math.round(height / scale)),
  }));
}
