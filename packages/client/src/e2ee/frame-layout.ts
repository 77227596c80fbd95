// Which bytes of an encoded frame stay in the clear (DESIGN.md §4.2): for VP8 the first 10 bytes
// of a keyframe (frame tag + start code + size) and 3 of a delta frame (frame tag), so the SFU and
// the receiver's depacketizer still see the frame type; they are authenticated as SFrame metadata
// (RFC 9605 §4.4.3 AAD = header || metadata). Opus frames are sealed whole.

export type MediaKind = 'audio' | 'video';

export function clearByteCount(kind: MediaKind, isKeyFrame: boolean): number {
  if (kind === 'audio') return 0;
  return isKeyFrame ? 10 : 3;
}
