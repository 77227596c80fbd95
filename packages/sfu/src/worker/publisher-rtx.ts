/**
 * A publisher's retransmissions on their own RTX streams (RFC 4588), one per simulcast layer.
 *
 * The publish answer accepts `rtx` (./codecs.ts), so a browser answers the SFU's NACKs on an RTX
 * SSRC with the RTX stream's own sequence numbers, hence a fresh SRTP index. (Without RTX,
 * libwebrtc re-sent the original on the media SSRC with a new transport-wide number: the same
 * SRTP index, so the same AES-GCM IV, over a different header; RFC 7714 §14.) Browsers also
 * send their bandwidth probes as padding on the RTX stream.
 *
 * Browsers put no SSRC for rid layers in the SDP (RFC 8853): an RTX packet names its layer with
 * `repaired-rtp-stream-id` (RFC 8852 §3.2) and its m-line with `sdes:mid` (RFC 8843 §15), both
 * sent until the SSRC is acknowledged in a receiver report (the SFU sends none for RTX streams).
 * werift 0.24.4's router maps rid, not repaired rid: it drops these packets, so the producer
 * claims them before werift sees them (fastpath/media-routes.ts `routeClaimers`). The RTX
 * stream of a track without rids is signalled with `a=ssrc-group:FID` (RFC 5576 §4.2), which
 * werift maps (`ssrcByRtx`); werift would unwrap every packet of it, copies of packets that
 * arrived included (probe padding), so the producer routes that SSRC to itself as well once the
 * media SSRC is routed, and any copy that still gets through is dropped (./duplicate-filter.ts).
 */
import type { RtpHeader } from 'werift';

export const MID_URI = 'urn:ietf:params:rtp-hdrext:sdes:mid';
export const REPAIRED_RID_URI = 'urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id';

/** Header extension `id` of `header` as text (an SDES item, RFC 8852 §3), or undefined. */
export const extensionText = (header: RtpHeader, id: number): string | undefined => {
  if (id === 0) return undefined;
  for (const e of header.extensions) if (e.id === id) return e.payload.toString('latin1');
  return undefined;
};

/** `apt` of an RTX payload format's parameters (RFC 4588 §8.1: `apt=96`), or undefined. */
export const associatedPayloadType = (parameters: string | undefined): number | undefined => {
  const match = /(?:^|;)\s*apt=(\d+)/.exec(parameters ?? '');
  return match ? Number(match[1]) : undefined;
};

/** What claiming an RTX packet needs of its producer (one video transceiver). */
export interface RtxClaimContext {
  mid: string;
  /** The receiver's payload types (werift's `RTCRtpReceiver.codecs`). */
  codecs: Record<number, { name: string; parameters?: string | undefined } | undefined>;
  /** The header extensions negotiated on the m-line. */
  headerExtensions: readonly { id: number; uri: string }[];
  /** The layer index of a rid of this track, if it has it. */
  layerOf(rid: string): number | undefined;
}

/**
 * The payload type an RTX payload type `payloadType` repairs (its `apt`, RFC 4588 §8.1), when it
 * is an RTX format of `codecs` whose `apt` is one of them too; else undefined.
 */
export const rtxApt = (
  codecs: RtxClaimContext['codecs'],
  payloadType: number,
): number | undefined => {
  const codec = codecs[payloadType];
  if (codec?.name.toLowerCase() !== 'rtx') return undefined;
  const apt = associatedPayloadType(codec.parameters);
  return apt === undefined || codecs[apt] === undefined ? undefined : apt;
};

/** A claimed RTX stream: the layer it repairs and the payload type it carries (`apt`). */
export interface RtxClaim {
  layer: number;
  apt: number;
}

/**
 * Whether `header` is a retransmission for a layer of this producer: an RTX payload type of its
 * m-line, its mid, and a repaired rid that names one of its layers.
 */
export const claimRtx = (header: RtpHeader, c: RtxClaimContext): RtxClaim | undefined => {
  const apt = rtxApt(c.codecs, header.payloadType);
  if (apt === undefined) return undefined;
  let midId = 0;
  let ridId = 0;
  for (const e of c.headerExtensions) {
    if (e.uri === MID_URI) midId = e.id;
    else if (e.uri === REPAIRED_RID_URI) ridId = e.id;
  }
  if (extensionText(header, midId) !== c.mid) return undefined;
  const rid = extensionText(header, ridId);
  const layer = rid === undefined ? undefined : c.layerOf(rid);
  return layer === undefined ? undefined : { layer, apt };
};
