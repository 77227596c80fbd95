/**
 * The few VP8 fields simulcast forwarding reads and rewrites, located without allocating (this
 * runs for every forwarded video packet). Layout: RFC 7741 §4.2 (payload descriptor) and §4.3
 * (payload header); see ../vp8.ts for the diagrams.
 *
 * With E2EE the descriptor is written by the browser's packetizer after the SFrame transform, and
 * the transform keeps the first 10 bytes of a key frame (frame tag, start code, dimensions) and 3
 * of a delta frame in the clear (packages/client/src/e2ee/frame-layout.ts), so everything read
 * here is visible to the SFU with E2EE on too.
 */

/** Parsed into a caller-owned object (reused per packet). Offsets are into the RTP payload. */
export interface Vp8Fields {
  /** The payload is too short for what its descriptor announces. */
  valid: boolean;
  /** S = 1 and PID = 0: first packet of a frame (§4.2). */
  frameStart: boolean;
  /** Frame start whose payload header has P = 0 (§4.3, RFC 6386 §9.1). */
  keyframe: boolean;
  /** Offset of the PictureID octet(s), -1 if absent (I = 0). */
  pictureIdOffset: number;
  /** 7 or 15 (M bit), 0 if absent. */
  pictureIdBits: number;
  pictureId: number;
  /** Offset of TL0PICIDX, -1 if absent (L = 0). */
  tl0Offset: number;
  tl0PicIdx: number;
  /** Temporal layer index (T = 1), 0 if absent. */
  temporalId: number;
  /** Key frame dimensions (§4.3 / RFC 6386 §9.1: 14-bit width and height), 0 otherwise. */
  width: number;
  height: number;
}

export const emptyVp8Fields = (): Vp8Fields => ({
  valid: false,
  frameStart: false,
  keyframe: false,
  pictureIdOffset: -1,
  pictureIdBits: 0,
  pictureId: 0,
  tl0Offset: -1,
  tl0PicIdx: 0,
  temporalId: 0,
  width: 0,
  height: 0,
});

/** Fills `out` from an RTP payload; returns `out.valid`. */
export const readVp8Fields = (payload: Uint8Array, out: Vp8Fields): boolean => {
  out.valid = false;
  out.frameStart = false;
  out.keyframe = false;
  out.pictureIdOffset = -1;
  out.pictureIdBits = 0;
  out.pictureId = 0;
  out.tl0Offset = -1;
  out.tl0PicIdx = 0;
  out.temporalId = 0;
  out.width = 0;
  out.height = 0;
  const len = payload.length;
  if (len < 1) return false;
  const first = payload[0]!;
  let offset = 1;
  // §4.2 first octet: X (0x80), S (0x10), PID (0x07)
  if (first & 0x80) {
    if (len < 2) return false;
    const ext = payload[offset++]!;
    if (ext & 0x80) {
      // I: PictureID, M bit selects 15 bits
      if (len < offset + 1) return false;
      const high = payload[offset]!;
      out.pictureIdOffset = offset;
      if (high & 0x80) {
        if (len < offset + 2) return false;
        out.pictureIdBits = 15;
        out.pictureId = ((high & 0x7f) << 8) | payload[offset + 1]!;
        offset += 2;
      } else {
        out.pictureIdBits = 7;
        out.pictureId = high & 0x7f;
        offset += 1;
      }
    }
    if (ext & 0x40) {
      // L: TL0PICIDX
      if (len < offset + 1) return false;
      out.tl0Offset = offset;
      out.tl0PicIdx = payload[offset++]!;
    }
    if (ext & 0x30) {
      // T or K: TID (2 bits) | Y | KEYIDX
      if (len < offset + 1) return false;
      if (ext & 0x20) out.temporalId = payload[offset]! >> 6;
      offset++;
    }
  }
  if (len < offset) return false;
  out.valid = true;
  out.frameStart = (first & 0x10) !== 0 && (first & 0x07) === 0;
  if (out.frameStart && len > offset) {
    // §4.3: P bit (LSB of the frame tag) is 0 on key frames
    out.keyframe = (payload[offset]! & 0x01) === 0;
    // RFC 6386 §9.1: tag (3) + start code 9d 01 2a (3) + 2 x 16 bits (14-bit size, 2-bit scale)
    if (
      out.keyframe &&
      len >= offset + 10 &&
      payload[offset + 3] === 0x9d &&
      payload[offset + 4] === 0x01 &&
      payload[offset + 5] === 0x2a
    ) {
      out.width = (payload[offset + 6]! | (payload[offset + 7]! << 8)) & 0x3fff;
      out.height = (payload[offset + 8]! | (payload[offset + 9]! << 8)) & 0x3fff;
    }
  }
  return true;
};

/**
 * Writes PictureID and TL0PICIDX in place (same widths as read, so the payload length does not
 * change). `fields` must describe `payload`.
 */
export const writeVp8Fields = (
  payload: Uint8Array,
  fields: Vp8Fields,
  pictureId: number,
  tl0PicIdx: number,
): void => {
  if (fields.pictureIdOffset >= 0) {
    const at = fields.pictureIdOffset;
    if (fields.pictureIdBits === 15) {
      payload[at] = 0x80 | ((pictureId >> 8) & 0x7f);
      payload[at + 1] = pictureId & 0xff;
    } else {
      payload[at] = pictureId & 0x7f;
    }
  }
  if (fields.tl0Offset >= 0) payload[fields.tl0Offset] = tl0PicIdx & 0xff;
};
