/**
 * One subscriber's view of one producer: several source RTP streams (simulcast layers, or one
 * stream that pauses and resumes) turned into one continuous outgoing stream.
 *
 * RTP (RFC 3550 §5.1): the receiver must see sequence numbers that increase by one per packet
 * and timestamps that advance with media time, whatever source is being forwarded. VP8 (RFC 7741
 * §4.2): PictureID increases by one per frame and TL0PICIDX by one per base-layer frame; a
 * decoder that sees them jump backwards or repeat treats frames as lost or reordered.
 *
 * A switch happens only at a point where the receiver can start decoding the new source: a key
 * frame's first packet for video, any packet for audio. At the switch every offset is chosen so
 * the first packet of the new source follows the last packet sent: seq + 1, PictureID + 1,
 * TL0PICIDX + 1, and the timestamp advanced by the wall-clock time since the last packet (layers
 * of one simulcast encoder have unrelated random timestamp bases, RFC 3550 §5.1). Resuming the
 * same source after a pause keeps its timestamp and PictureID offsets (its clock kept running)
 * and closes only the sequence gap, so a paused stream causes no NACKs.
 */
import { seqDiff } from '../rtp-sequence';

/** What the rewriter needs of a source packet. */
export interface SourcePacket {
  /** Which source stream (simulcast layer index, 0 without simulcast). */
  source: number;
  sequenceNumber: number;
  timestamp: number;
  /** A point a decoder can start from: a key frame's first packet (video), any packet (audio). */
  switchPoint: boolean;
  /** VP8 PictureID, -1 if absent. */
  pictureId: number;
  /** VP8 TL0PICIDX, -1 if absent. */
  tl0PicIdx: number;
}

/** The rewritten fields (valid when `rewrite` returns true). */
export interface RewrittenFields {
  sequenceNumber: number;
  timestamp: number;
  pictureId: number;
  tl0PicIdx: number;
}

/** 90 kHz video, 48 kHz Opus: RTP clock ticks per millisecond. */
export const ticksPerMs = (clockRate: number): number => clockRate / 1000;

export class StreamRewriter {
  readonly #ticksPerMs: number;
  /** Source being forwarded, -1 before the first switch point. */
  #source = -1;
  /** Wait for a switch point of `#source` before forwarding (after a pause). */
  #resync = false;
  #seqOffset = 0;
  #tsOffset = 0;
  #picOffset = 0;
  #tl0Offset = 0;
  /** Input sequence number of the current source's first forwarded packet. */
  #baseSeq = 0;
  #lastSeq = -1;
  #lastTs = 0;
  #lastPic = -1;
  #lastTl0 = -1;
  #lastSentAtMs = 0;
  #switches = 0;

  constructor(clockRate: number) {
    this.#ticksPerMs = ticksPerMs(clockRate);
  }

  /** The source now forwarded, -1 if none yet. */
  get source(): number {
    return this.#source;
  }

  /** Times the forwarded source changed (or restarted after a pause). */
  get switches(): number {
    return this.#switches;
  }

  /** After a pause: the next switch point of any source continues the stream. */
  resync(): void {
    this.#resync = true;
  }

  /**
   * Whether `p` is forwarded, and as what. `wanted` is the source the subscriber should get; a
   * switch to it happens at its next switch point, until then the current source continues.
   */
  rewrite(p: SourcePacket, wanted: number, nowMs: number, out: RewrittenFields): boolean {
    const switching = p.source !== this.#source || this.#resync;
    if (switching) {
      if (p.source !== wanted || !p.switchPoint) return false;
      this.#switchTo(p, nowMs);
    } else if (seqDiff(p.sequenceNumber, this.#baseSeq) < 0) {
      // older than the switch point: would collide with what the previous source sent
      return false;
    }
    out.sequenceNumber = (p.sequenceNumber + this.#seqOffset) & 0xffff;
    out.timestamp = (p.timestamp + this.#tsOffset) >>> 0;
    out.pictureId = p.pictureId < 0 ? -1 : (p.pictureId + this.#picOffset) & 0x7fff;
    out.tl0PicIdx = p.tl0PicIdx < 0 ? -1 : (p.tl0PicIdx + this.#tl0Offset) & 0xff;
    if (this.#lastSeq < 0 || seqDiff(out.sequenceNumber, this.#lastSeq) > 0) {
      this.#lastSeq = out.sequenceNumber;
      this.#lastTs = out.timestamp;
      if (out.pictureId >= 0) this.#lastPic = out.pictureId;
      if (out.tl0PicIdx >= 0) this.#lastTl0 = out.tl0PicIdx;
      this.#lastSentAtMs = nowMs;
    }
    return true;
  }

  /**
   * Fields for a packet the SFU adds after the last forwarded one (a padding-only probe packet):
   * the next sequence number and the last timestamp; later packets shift by one so the stream
   * stays contiguous. False before the first packet and while waiting to resync.
   */
  insert(out: RewrittenFields): boolean {
    if (this.#lastSeq < 0 || this.#resync) return false;
    out.sequenceNumber = (this.#lastSeq + 1) & 0xffff;
    out.timestamp = this.#lastTs;
    out.pictureId = -1;
    out.tl0PicIdx = -1;
    this.#seqOffset = (this.#seqOffset + 1) & 0xffff;
    this.#lastSeq = out.sequenceNumber;
    return true;
  }

  #switchTo(p: SourcePacket, nowMs: number): void {
    const sameSource = p.source === this.#source;
    this.#switches++;
    this.#resync = false;
    this.#source = p.source;
    this.#baseSeq = p.sequenceNumber;
    if (this.#lastSeq < 0) return; // first packet ever: identity mapping
    this.#seqOffset = (this.#lastSeq + 1 - p.sequenceNumber) & 0xffff;
    if (sameSource) return; // its clock and picture ids ran on while paused
    const elapsed = Math.max(1, Math.round((nowMs - this.#lastSentAtMs) * this.#ticksPerMs));
    this.#tsOffset = (this.#lastTs + elapsed - p.timestamp) >>> 0;
    if (p.pictureId >= 0 && this.#lastPic >= 0) {
      this.#picOffset = (this.#lastPic + 1 - p.pictureId) & 0x7fff;
    }
    if (p.tl0PicIdx >= 0 && this.#lastTl0 >= 0) {
      this.#tl0Offset = (this.#lastTl0 + 1 - p.tl0PicIdx) & 0xff;
    }
  }
}
