import type { TapPacket } from '@conclave/sfu';

// RTP payloads from a producer's tap -> media frames with millisecond timestamps, for the
// recorder. Opus: one packet is one frame (RFC 7587 §4.2). VP8: a frame spans the packets that
// share an RTP timestamp, starting with the packet whose descriptor has S=1 and PID=0
// (RFC 7741 §4.2); the tap carries no marker bit, so a frame is complete when a packet with a
// later timestamp arrives and no sequence number is missing in between.

export interface MediaFrame {
  /** Milliseconds since the track's first frame (from RTP timestamps, so gaps stay gaps). */
  timestampMs: number;
  keyframe: boolean;
  data: Buffer;
  /** VP8 keyframes: the coded size (RFC 6386 §9.1). */
  width?: number;
  height?: number;
}

/** Unwraps 32-bit RTP timestamps (RFC 3550 §5.1) into milliseconds from the first one. */
class RtpClock {
  readonly #rate: number;
  #first: number | undefined;
  #last = 0;
  #extended = 0;

  constructor(clockRate: number) {
    this.#rate = clockRate;
  }

  ms(timestamp: number): number {
    if (this.#first === undefined) {
      this.#first = timestamp;
      this.#last = timestamp;
      return 0;
    }
    const delta = ((timestamp - this.#last) << 0) | 0; // signed 32-bit difference
    this.#last = timestamp >>> 0;
    this.#extended += delta;
    return (this.#extended * 1000) / this.#rate;
  }
}

export class OpusFrames {
  readonly #clock = new RtpClock(48_000);

  push(p: TapPacket): MediaFrame[] {
    if (p.payload.length === 0) return [];
    return [
      { timestampMs: this.#clock.ms(p.timestamp), keyframe: true, data: Buffer.from(p.payload) },
    ];
  }
}

interface Vp8Packet {
  seq: number;
  start: boolean;
  data: Uint8Array;
}

/** RFC 7741 §4.2: the VP8 payload descriptor's length, or -1 when the packet is too short. */
export function vp8DescriptorLength(b: Uint8Array): number {
  if (b.length < 1) return -1;
  let i = 1;
  if (b[0]! & 0x80) {
    if (b.length < 2) return -1;
    const x = b[1]!;
    i = 2;
    if (x & 0x80) i += b.length > i && b[i]! & 0x80 ? 2 : 1; // I: PictureID, 7 or 15 bits (M)
    if (x & 0x40) i += 1; // L: TL0PICIDX
    if (x & 0x30) i += 1; // T/K: TID | Y | KEYIDX
  }
  return i < b.length ? i : -1;
}

export class Vp8Frames {
  readonly #clock = new RtpClock(90_000);
  #timestamp: number | undefined;
  #packets: Vp8Packet[] = [];
  #lastSeq: number | undefined;
  /** After a lost packet nothing is emitted until the next keyframe (no corrupt pictures). */
  #needKeyframe = true;
  /** Called when a keyframe is wanted (start, or after loss); the caller rate-limits. */
  onKeyframeNeeded: () => void = () => undefined;

  push(p: TapPacket): MediaFrame[] {
    const off = vp8DescriptorLength(p.payload);
    if (off < 0) return [];
    const start = (p.payload[0]! & 0x10) !== 0 && (p.payload[0]! & 0x07) === 0;
    const packet = { seq: p.sequenceNumber, start, data: p.payload.subarray(off) };
    if (this.#timestamp === p.timestamp) {
      this.#packets.push(packet);
      return [];
    }
    const out = this.#finish();
    this.#timestamp = p.timestamp;
    this.#packets = [packet];
    return out;
  }

  #finish(): MediaFrame[] {
    const ts = this.#timestamp;
    const packets = this.#packets.sort((a, b) => ((a.seq - b.seq + 0x8000) & 0xffff) - 0x8000);
    this.#packets = [];
    if (ts === undefined || packets.length === 0) return [];
    const timestampMs = this.#clock.ms(ts);
    const follows =
      this.#lastSeq === undefined || ((packets[0]!.seq - this.#lastSeq) & 0xffff) === 1;
    this.#lastSeq = packets[packets.length - 1]!.seq;
    let whole = packets[0]!.start && follows;
    for (let i = 1; i < packets.length && whole; i++)
      whole = ((packets[i]!.seq - packets[i - 1]!.seq) & 0xffff) === 1;
    const data = Buffer.concat(packets.map((x) => x.data));
    // RFC 6386 §9.1: frame tag bit 0 is 0 for a key frame, whose start code is 9d 01 2a.
    const keyframe =
      data.length >= 10 &&
      (data[0]! & 0x01) === 0 &&
      data[3] === 0x9d &&
      data[4] === 0x01 &&
      data[5] === 0x2a;
    if (!whole || (this.#needKeyframe && !keyframe)) {
      this.#needKeyframe = true;
      this.onKeyframeNeeded();
      return [];
    }
    this.#needKeyframe = false;
    const frame: MediaFrame = { timestampMs, keyframe, data };
    if (keyframe) {
      frame.width = data.readUInt16LE(6) & 0x3fff;
      frame.height = data.readUInt16LE(8) & 0x3fff;
    }
    return [frame];
  }
}
