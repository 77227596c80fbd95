/**
 * VP8 RTP payload descriptor parsing, RFC 7741 ("RTP Payload Format for VP8 Video"). Used only by
 * the test-only payload inspection (payload-inspector.ts); forwarding never looks at payloads.
 *
 * RFC 7741 §4.2, the descriptor at the start of every RTP payload:
 *
 *          0 1 2 3 4 5 6 7
 *         +-+-+-+-+-+-+-+-+
 *         |X|R|N|S|R| PID | (REQUIRED)
 *         +-+-+-+-+-+-+-+-+
 *    X:   |I|L|T|K| RSV   | (OPTIONAL, present if X = 1)
 *         +-+-+-+-+-+-+-+-+
 *    I:   |M| PictureID   | (OPTIONAL, present if I = 1)
 *         +-+-+-+-+-+-+-+-+
 *         |   PictureID   | (present if M = 1: 15-bit PictureID)
 *         +-+-+-+-+-+-+-+-+
 *    L:   |   TL0PICIDX   | (OPTIONAL, present if L = 1)
 *         +-+-+-+-+-+-+-+-+
 *    T/K: |TID|Y| KEYIDX  | (OPTIONAL, one byte shared by T and K: present if T = 1 or K = 1)
 *         +-+-+-+-+-+-+-+-+
 *
 * S = 1 marks the first packet of a VP8 partition, PID is the partition index; S = 1 with PID = 0
 * is the first packet of a frame. R bits must be ignored by receivers (§4.2).
 *
 * RFC 7741 §4.3, the VP8 payload header: only the packet with S = 1 and PID = 0 carries it, as the
 * first bytes after the descriptor. It is VP8's 3-byte frame tag (RFC 6386 §9.1):
 *
 *          0 1 2 3 4 5 6 7
 *         +-+-+-+-+-+-+-+-+
 *         |Size0|H| VER |P|
 *         +-+-+-+-+-+-+-+-+
 *         |     Size1     |
 *         +-+-+-+-+-+-+-+-+
 *         |     Size2     |
 *         +-+-+-+-+-+-+-+-+
 *
 * P (the least significant bit of the first byte) is the inverse key frame flag: 0 = key frame.
 * A key frame's tag is followed by the start code 0x9d 0x01 0x2a and the dimensions (§4.3,
 * RFC 6386 §9.1), so in a key frame bytes 3..5 of the VP8 payload are 9d 01 2a.
 */

export interface Vp8Descriptor {
  /** Bytes of the descriptor; the VP8 payload starts at this offset. */
  length: number;
  /** S bit (§4.2): first packet of a partition. */
  startOfPartition: boolean;
  /** PID (§4.2): partition index, 0..7. */
  partitionId: number;
  /** N bit (§4.2): the frame can be discarded without affecting other frames. */
  nonReference: boolean;
  /** PictureID (§4.2, I = 1): 7 or 15 bits. */
  pictureId: number | undefined;
}

// §4.2, first octet
const X = 0x80;
const N = 0x20;
const S = 0x10;
const PID_MASK = 0x07;
// §4.2, extension octet
const I = 0x80;
const L = 0x40;
const T = 0x20;
const K = 0x10;
// §4.2, PictureID octet
const M = 0x80;

/** Parses the VP8 payload descriptor (RFC 7741 §4.2). Undefined if the payload is truncated. */
export const parseVp8Descriptor = (payload: Uint8Array): Vp8Descriptor | undefined => {
  if (payload.length < 1) return undefined;
  const first = payload[0]!;
  let offset = 1;
  let pictureId: number | undefined;
  if (first & X) {
    if (payload.length < offset + 1) return undefined;
    const ext = payload[offset++]!;
    if (ext & I) {
      if (payload.length < offset + 1) return undefined;
      const high = payload[offset++]!;
      if (high & M) {
        if (payload.length < offset + 1) return undefined;
        pictureId = ((high & 0x7f) << 8) | payload[offset++]!;
      } else {
        pictureId = high & 0x7f;
      }
    }
    if (ext & L) offset++; // TL0PICIDX
    if (ext & (T | K)) offset++; // TID | Y | KEYIDX
    if (payload.length < offset) return undefined;
  }
  return {
    length: offset,
    startOfPartition: (first & S) !== 0,
    partitionId: first & PID_MASK,
    nonReference: (first & N) !== 0,
    pictureId,
  };
};

/** S = 1 and PID = 0: the packet starts a frame and carries the VP8 payload header (§4.3). */
export const isVp8FrameStart = (descriptor: Vp8Descriptor): boolean =>
  descriptor.startOfPartition && descriptor.partitionId === 0;

/**
 * P bit of the VP8 payload header (§4.3; RFC 6386 §9.1) is 0, i.e. a key frame. `vp8Payload` is
 * the payload after the descriptor of a frame-start packet; false if it is empty.
 */
export const vp8KeyframeBit = (vp8Payload: Uint8Array): boolean =>
  vp8Payload.length > 0 && (vp8Payload[0]! & 0x01) === 0;
