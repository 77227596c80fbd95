/**
 * A faster `RtpHeader.deSerialize` for werift 0.24.4's receive path (every packet a publisher
 * sends goes through it once, after SRTP decryption). werift's own builds the header with 15
 * `Object.defineProperty` calls, reads the bit fields through string conversions (`getBit`) and
 * copies the extension array once per extension. This one reads the RFC 3550 §5.1 fixed header
 * and the RFC 8285 §4.2/§4.3 extension elements with byte operations and makes an object of the
 * same class with the same fields, in werift's field order (same hidden class for every header).
 * One deliberate difference: after an RFC 8285 id-15 element the payload still starts at the end
 * of the extension block (werift's stops there).
 *
 * Installed in the media worker only (werift's module instance there); `rtp-parse.test.ts` checks
 * it against werift's own on generated packets. Re-check on werift upgrades.
 */
import { RtpHeader, RtpPacket } from 'werift';

const ONE_BYTE = 0xbede;
const TWO_BYTE = 0x1000;

interface Extension {
  id: number;
  payload: Buffer;
}

export const parseRtpHeader = (raw: Buffer): RtpHeader => {
  const h = Object.create(RtpHeader.prototype) as Record<string, unknown>;
  const b0 = raw[0]!;
  const b1 = raw[1]!;
  const cc = b0 & 0x0f;
  const hasExtension = (b0 & 0x10) !== 0;
  const padding = (b0 & 0x20) !== 0;
  h.version = b0 >> 6;
  h.padding = padding;
  h.paddingSize = 0;
  h.extension = hasExtension;
  h.marker = (b1 & 0x80) !== 0;
  h.payloadOffset = 0;
  h.payloadType = b1 & 0x7f;
  h.sequenceNumber = raw.readUInt16BE(2);
  h.timestamp = raw.readUInt32BE(4);
  h.ssrc = raw.readUInt32BE(8);
  h.csrcLength = cc;
  const csrc: number[] = [];
  for (let i = 0; i < cc; i++) csrc.push(raw.readUInt32BE(12 + 4 * i));
  h.csrc = csrc;
  h.extensionProfile = ONE_BYTE;
  h.extensionLength = undefined;
  const extensions: Extension[] = [];
  h.extensions = extensions;
  let offset = 12 + 4 * cc;
  if (hasExtension) {
    const profile = raw.readUInt16BE(offset);
    const length = raw.readUInt16BE(offset + 2) * 4;
    h.extensionProfile = profile;
    h.extensionLength = length;
    offset += 4;
    const end = offset + length;
    if (profile === ONE_BYTE) {
      while (offset < end) {
        const b = raw[offset]!;
        if (b === 0) {
          offset++;
          continue;
        }
        offset++;
        const id = b >> 4;
        if (id === 0xf) break; // RFC 8285 §4.2: stop processing
        const len = (b & 0x0f) + 1;
        extensions.push({ id, payload: raw.subarray(offset, offset + len) });
        offset += len;
      }
    } else if (profile === TWO_BYTE) {
      while (offset < end) {
        if (raw[offset] === 0) {
          offset++;
          continue;
        }
        const id = raw[offset]!;
        const len = raw[offset + 1]!;
        offset += 2;
        extensions.push({ id, payload: raw.subarray(offset, offset + len) });
        offset += len;
      }
    } else {
      extensions.push({ id: 0, payload: raw.subarray(offset, offset + length) });
    }
    // RFC 3550 §5.3.1: the payload follows the extension block (werift stops early after a
    // reserved id 15 element; nothing sends those)
    offset = end;
  }
  h.payloadOffset = offset;
  if (padding) h.paddingSize = raw[raw.length - 1];
  return h as unknown as RtpHeader;
};

/**
 * Octets of the RTP header of `raw` (RFC 3550 §5.1 fixed header, CSRC list, §5.3.1 extension
 * block), or -1 when it is not an RTP version 2 header that ends at or before `end`.
 */
export const rtpHeaderLength = (raw: Buffer, end: number): number => {
  if (end < 12 || end > raw.length || raw[0]! >> 6 !== 2) return -1;
  let length = 12 + 4 * (raw[0]! & 0x0f);
  if ((raw[0]! & 0x10) !== 0) {
    if (length + 4 > end) return -1;
    length += 4 + raw.readUInt16BE(length + 2) * 4;
  }
  return length <= end ? length : -1;
};

/**
 * werift's `RtpPacket.clone` (every received packet is cloned once before a track's listeners
 * see it) runs the RtpHeader constructor: class fields plus `Object.assign`. This one makes the
 * same shallow copy (csrc and extension arrays shared, as werift's spread shares them) with the
 * field order of `parseRtpHeader`.
 */
export const cloneRtpPacket = function (this: RtpPacket): RtpPacket {
  const s = this.header;
  const h = Object.create(RtpHeader.prototype) as RtpHeader;
  h.version = s.version;
  h.padding = s.padding;
  h.paddingSize = s.paddingSize;
  h.extension = s.extension;
  h.marker = s.marker;
  h.payloadOffset = s.payloadOffset;
  h.payloadType = s.payloadType;
  h.sequenceNumber = s.sequenceNumber;
  h.timestamp = s.timestamp;
  h.ssrc = s.ssrc;
  h.csrcLength = s.csrcLength;
  h.csrc = s.csrc;
  h.extensionProfile = s.extensionProfile;
  h.extensionLength = s.extensionLength;
  h.extensions = s.extensions;
  return new RtpPacket(h, this.payload);
};

let installed = false;

/** Replaces werift's `RtpHeader.deSerialize` and `RtpPacket.clone` in this thread (idempotent). */
export const installFastRtpParse = (): void => {
  if (installed) return;
  installed = true;
  RtpHeader.deSerialize = parseRtpHeader;
  RtpPacket.prototype.clone = cloneRtpPacket;
};
