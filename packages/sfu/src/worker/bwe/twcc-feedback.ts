import { TransportWideCC } from 'werift';

/**
 * Transport-wide congestion control feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01
 * §3.1), parsed from the packet bytes.
 *
 * werift 0.24.4 reads status vector chunks with the wrong bit offsets, so the number and sizes of
 * the receive deltas it derives are wrong too (seen with Chromium 156: 3 packets received, 1
 * reported). `installTwccRawCapture()` keeps the raw bytes on werift's parsed packet, and
 * `parseTwcc` reads them per the draft. Re-check on werift upgrades.
 *
 * §3.1: after the common header come sender SSRC (4), media SSRC (4), base sequence number (2),
 * packet status count (2), reference time (signed 24 bits, 64 ms units) and feedback packet
 * count (1). Then packet status chunks of 16 bits: run length (T = 0: 2-bit status, 13-bit
 * length) or status vector (T = 1, S = 0: 14 one-bit symbols; S = 1: 7 two-bit symbols). Status
 * 0 is "not received", 1 "small delta" (1 byte, unsigned), 2 "large or negative delta" (2 bytes,
 * signed); deltas are in 250 us units, the first relative to the reference time.
 */
export interface TwccResults {
  sequenceNumbers: number[];
  /** ms on the receiver's clock; NaN for a packet reported lost. */
  receivedAtMs: number[];
}

export const parseTwcc = (raw: Uint8Array): TwccResults | undefined => {
  if (raw.length < 16) return undefined;
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const base = view.getUint16(8);
  const count = view.getUint16(10);
  let ref = (raw[12]! << 16) | (raw[13]! << 8) | raw[14]!;
  if (ref & 0x800000) ref -= 0x1000000;
  const statuses: number[] = [];
  let offset = 16;
  while (statuses.length < count) {
    if (offset + 2 > raw.length) return undefined;
    const chunk = view.getUint16(offset);
    offset += 2;
    if ((chunk & 0x8000) === 0) {
      const status = (chunk >> 13) & 0x3;
      const length = chunk & 0x1fff;
      for (let i = 0; i < length && statuses.length < count; i++) statuses.push(status);
    } else if ((chunk & 0x4000) === 0) {
      for (let i = 13; i >= 0 && statuses.length < count; i--) statuses.push((chunk >> i) & 1);
    } else {
      for (let i = 6; i >= 0 && statuses.length < count; i--) statuses.push((chunk >> (i * 2)) & 3);
    }
  }
  const sequenceNumbers: number[] = [];
  const receivedAtMs: number[] = [];
  let timeUs = ref * 64_000;
  for (let i = 0; i < statuses.length; i++) {
    sequenceNumbers.push((base + i) & 0xffff);
    const status = statuses[i]!;
    if (status === 1) {
      if (offset + 1 > raw.length) return undefined;
      timeUs += raw[offset]! * 250;
      offset += 1;
      receivedAtMs.push(timeUs / 1000);
    } else if (status === 2) {
      if (offset + 2 > raw.length) return undefined;
      timeUs += view.getInt16(offset) * 250;
      offset += 2;
      receivedAtMs.push(timeUs / 1000);
    } else {
      receivedAtMs.push(Number.NaN);
    }
  }
  return { sequenceNumbers, receivedAtMs };
};

const RAW = Symbol('twccRaw');
let installed = false;

/**
 * Makes werift keep each transport-cc packet's bytes (see above). werift's parse can also throw
 * on what it misreads, which would drop the whole compound RTCP packet (PLIs and NACKs with it):
 * a failed parse becomes an empty feedback addressed like the original.
 */
export const installTwccRawCapture = (): void => {
  if (installed) return;
  installed = true;
  type Parse = typeof TransportWideCC.deSerialize;
  const original: Parse = TransportWideCC.deSerialize.bind(TransportWideCC);
  const patched: Parse = (data, header) => {
    let parsed: TransportWideCC;
    try {
      parsed = original(data, header);
    } catch {
      parsed = new TransportWideCC({
        senderSsrc: data.length >= 4 ? data.readUInt32BE(0) : 0,
        mediaSourceSsrc: data.length >= 8 ? data.readUInt32BE(4) : 0,
      });
    }
    (parsed as unknown as Record<symbol, Uint8Array>)[RAW] = Uint8Array.from(data);
    return parsed;
  };
  TransportWideCC.deSerialize = patched;
};

/** The bytes of a feedback werift parsed after installTwccRawCapture(). */
export const rawTwcc = (feedback: unknown): Uint8Array | undefined =>
  (feedback as Record<symbol, Uint8Array | undefined>)[RAW];
