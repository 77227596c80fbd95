import { RtpHeader, RtpPacket } from 'werift';
import type { MediaKind } from '../../channel/messages';
import { StreamRewriter, type RewrittenFields, type SourcePacket } from './stream-rewriter';
import { writeVp8Fields, type Vp8Fields } from './vp8-fields';

/**
 * Turns packets of a producer's layers into one continuous stream for one receiver (a consumer,
 * or a tap): StreamRewriter decides and computes the fields, this writes them into a new packet
 * (header copy; payload copied only when its VP8 PictureID/TL0PICIDX change). The source packet
 * is shared by every receiver and is never mutated.
 */
export class LayerForwarder {
  readonly #rewriter: StreamRewriter;
  readonly #kind: MediaKind;
  readonly #src: SourcePacket = {
    source: 0,
    sequenceNumber: 0,
    timestamp: 0,
    switchPoint: false,
    pictureId: -1,
    tl0PicIdx: -1,
  };
  readonly #out: RewrittenFields = {
    sequenceNumber: 0,
    timestamp: 0,
    pictureId: -1,
    tl0PicIdx: -1,
  };
  /** The last forwarded packet ended a frame (RTP marker): padding may follow it. */
  #frameEnded = false;
  /** See stopCurrentLayer. */
  #stopping = false;
  /** Frames of the current layer were held back while stopping. */
  #held = false;

  constructor(kind: MediaKind) {
    this.#kind = kind;
    this.#rewriter = new StreamRewriter(kind === 'audio' ? 48000 : 90000);
  }

  /** Layer forwarded now, -1 before the first packet. */
  get layer(): number {
    return this.#rewriter.source;
  }

  get switches(): number {
    return this.#rewriter.switches;
  }

  /**
   * Until the switch to another layer, forward no new frame of the current one (a switch down
   * for bandwidth: the receiver holds its last picture until the new layer's key frame). A frame
   * already started is finished, so the receiver never gets half a frame.
   */
  stopCurrentLayer(): void {
    if (this.layer >= 0) this.#stopping = true;
  }

  get stopping(): boolean {
    return this.#stopping;
  }

  /**
   * The current layer is wanted again before the switch happened. Returns true when frames were
   * held back meanwhile: the next ones refer to them, so the stream resumes at a key frame (and
   * without a sequence gap), which the caller must ask for.
   */
  resumeCurrentLayer(): boolean {
    const held = this.#held;
    this.#stopping = false;
    this.#held = false;
    if (held) this.#rewriter.resync();
    return held;
  }

  /** After a pause: continue at the next switch point (key frame) without a sequence gap. */
  resync(): void {
    this.#stopping = this.#held = false;
    this.#rewriter.resync();
  }

  /**
   * The payload to send for `rtp` of `layer` (the source's, or a copy with VP8 fields rewritten),
   * or undefined to drop it; the header fields are in `fields` until the next call. `vp8`
   * describes the payload (video only).
   */
  rewrite(
    layer: number,
    rtp: RtpPacket,
    vp8: Vp8Fields | undefined,
    wanted: number,
    nowMs: number,
  ): Buffer | undefined {
    const src = this.#src;
    src.source = layer;
    src.sequenceNumber = rtp.header.sequenceNumber;
    src.timestamp = rtp.header.timestamp;
    if (this.#kind === 'video') {
      if (!vp8?.valid) return undefined;
      src.switchPoint = vp8.keyframe;
      src.pictureId = vp8.pictureIdOffset >= 0 ? vp8.pictureId : -1;
      src.tl0PicIdx = vp8.tl0Offset >= 0 ? vp8.tl0PicIdx : -1;
    } else {
      src.switchPoint = true;
    }
    const out = this.#out;
    if (this.#stopping) {
      if (layer !== this.layer) {
        // another layer: forwarded only from its key frame on, which ends the stop
        if (layer === wanted && src.switchPoint) this.#stopping = this.#held = false;
      } else if (this.#frameEnded) {
        this.#held = true;
        return undefined;
      }
    }
    if (!this.#rewriter.rewrite(src, wanted, nowMs, out)) return undefined;
    this.#frameEnded = rtp.header.marker;
    let payload = rtp.payload;
    if (vp8 && (out.pictureId !== src.pictureId || out.tl0PicIdx !== src.tl0PicIdx)) {
      payload = Buffer.from(payload);
      writeVp8Fields(payload, vp8, out.pictureId, out.tl0PicIdx);
    }
    return payload;
  }

  /** Sequence number and timestamp of the packet `rewrite` returned last. */
  get fields(): Readonly<RewrittenFields> {
    return this.#out;
  }

  /**
   * The packet to send for `rtp` of `layer`, or undefined to drop it (a werift packet, for taps
   * and werift's send path). Extensions are stripped: the subscriber's own are written by its sender.
   */
  forward(
    layer: number,
    rtp: RtpPacket,
    vp8: Vp8Fields | undefined,
    wanted: number,
    nowMs: number,
  ): RtpPacket | undefined {
    const payload = this.rewrite(layer, rtp, vp8, wanted, nowMs);
    if (!payload) return undefined;
    const header = new RtpHeader({ ...rtp.header });
    header.sequenceNumber = this.#out.sequenceNumber;
    header.timestamp = this.#out.timestamp;
    header.extensions = [];
    header.extension = false;
    return new RtpPacket(header, payload);
  }

  /**
   * A padding-only payload of up to `bytes` (at most 255, RFC 3550 §5.1: the last padding octet
   * counts them) continuing the stream, its header fields in `fields` (marker clear, P bit set),
   * or undefined unless the last packet ended a frame (a receiver assembles frames from
   * consecutive sequence numbers, so nothing may go inside one).
   */
  paddingPayload(bytes: number): Buffer | undefined {
    if (this.#kind !== 'video' || !this.#frameEnded) return undefined;
    if (!this.#rewriter.insert(this.#out)) return undefined;
    const size = Math.max(1, Math.min(255, Math.round(bytes)));
    const payload = Buffer.alloc(size);
    payload[size - 1] = size;
    return payload;
  }

  /** `paddingPayload` as a werift packet (taps and werift's send path). */
  padding(bytes: number): RtpPacket | undefined {
    const payload = this.paddingPayload(bytes);
    if (!payload) return undefined;
    const header = new RtpHeader({
      sequenceNumber: this.#out.sequenceNumber,
      timestamp: this.#out.timestamp,
      padding: true,
      marker: false,
    });
    return new RtpPacket(header, payload);
  }
}
