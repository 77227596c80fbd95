// RFC 9605 §4.3 SFrame Header.
//
//   0 1 2 3 4 5 6 7
//  +-+-+-+-+-+-+-+-+---------------------------------+
//  |X|  K  |Y|  C  |   KID...  (length=K+1 if X)  | CTR... (length=C+1 if Y) |
//  +-+-+-+-+-+-+-+-+---------------------------------+
//
// X=0: K is the KID itself (0..7). X=1: K+1 is the KID length in bytes (1..8). Same for Y/C/CTR.
import { E2eeError } from '../errors';

export const MAX_U64 = (1n << 64n) - 1n;

export interface SFrameHeader {
  readonly kid: bigint;
  readonly ctr: bigint;
}

export interface DecodedHeader extends SFrameHeader {
  /** Number of bytes the header occupies at the start of the input. */
  readonly length: number;
}

const TWO_48 = 1n << 48n;
const TWO_56 = 1n << 56n;

// Per-frame hot path: stay in doubles below 2^48 (exact), BigInt only above.
function byteLength(v: bigint): number {
  if (v < TWO_48) {
    const n = Number(v);
    if (n < 0x100) return 1;
    if (n < 0x10000) return 2;
    if (n < 0x1000000) return 3;
    if (n < 0x100000000) return 4;
    return n < 0x10000000000 ? 5 : 6;
  }
  return v < TWO_56 ? 7 : 8;
}

function assertU64(name: string, v: bigint): void {
  if (typeof v !== 'bigint' || v < 0n || v > MAX_U64) {
    throw new TypeError(`${name} must be a bigint in [0, 2^64-1]`);
  }
}

/** Size in bytes of the encoded header for (kid, ctr). */
export function headerLength(kid: bigint, ctr: bigint): number {
  return 1 + (kid < 8n ? 0 : byteLength(kid)) + (ctr < 8n ? 0 : byteLength(ctr));
}

function writeBE(out: Uint8Array, offset: number, v: bigint, len: number): void {
  if (len <= 6) {
    let n = Number(v);
    for (let i = len - 1; i >= 0; i--) {
      out[offset + i] = n % 256;
      n = Math.floor(n / 256);
    }
    return;
  }
  for (let i = len - 1; i >= 0; i--) {
    out[offset + i] = Number(v & 0xffn);
    v >>= 8n;
  }
}

/** RFC 9605 §4.3: encode with the shortest representation (values < 8 inline in the config byte). */
export function encodeHeader(kid: bigint, ctr: bigint): Uint8Array {
  assertU64('kid', kid);
  assertU64('ctr', ctr);
  const out = new Uint8Array(headerLength(kid, ctr));
  encodeHeaderInto(out, 0, kid, ctr);
  return out;
}

/** Writes the header at `offset`; returns the number of bytes written. */
export function encodeHeaderInto(
  out: Uint8Array,
  offset: number,
  kid: bigint,
  ctr: bigint,
): number {
  let config = 0;
  let p = offset + 1;
  if (kid < 8n) {
    config |= Number(kid) << 4;
  } else {
    const len = byteLength(kid);
    config |= 0x80 | ((len - 1) << 4);
    writeBE(out, p, kid, len);
    p += len;
  }
  if (ctr < 8n) {
    config |= Number(ctr);
  } else {
    const len = byteLength(ctr);
    config |= 0x08 | (len - 1);
    writeBE(out, p, ctr, len);
    p += len;
  }
  out[offset] = config;
  return p - offset;
}

function readBE(buf: Uint8Array, offset: number, len: number): bigint {
  if (len <= 6) {
    // Fast path: fits in a double exactly.
    let n = 0;
    for (let i = 0; i < len; i++) n = n * 256 + buf[offset + i]!;
    return BigInt(n);
  }
  let v = 0n;
  for (let i = 0; i < len; i++) v = (v << 8n) | BigInt(buf[offset + i]!);
  return v;
}

/** RFC 9605 §4.3: parse the config byte, then the extended KID and CTR fields if present. */
export function decodeHeader(buf: Uint8Array): DecodedHeader {
  if (buf.length < 1) throw new E2eeError('E2EE_ERR_BAD_HEADER', 'empty');
  const config = buf[0]!;
  let p = 1;
  let kid: bigint;
  if (config & 0x80) {
    const len = ((config >> 4) & 0x07) + 1;
    if (buf.length < p + len) throw new E2eeError('E2EE_ERR_BAD_HEADER', 'truncated KID');
    kid = readBE(buf, p, len);
    p += len;
  } else {
    kid = BigInt((config >> 4) & 0x07);
  }
  let ctr: bigint;
  if (config & 0x08) {
    const len = (config & 0x07) + 1;
    if (buf.length < p + len) throw new E2eeError('E2EE_ERR_BAD_HEADER', 'truncated CTR');
    ctr = readBE(buf, p, len);
    p += len;
  } else {
    ctr = BigInt(config & 0x07);
  }
  return { kid, ctr, length: p };
}
