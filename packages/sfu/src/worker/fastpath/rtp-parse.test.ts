import { randomBytes } from 'node:crypto';
import { RtpHeader, RtpPacket } from 'werift';
import { describe, expect, it } from 'vitest';
import { parseRtpHeader } from './rtp-parse';

/** A random RTP packet (RFC 3550 §5.1 / §5.3.1, RFC 8285 §4.2 and §4.3 extensions). */
const randomPacket = (rnd: () => number): Buffer => {
  const cc = Math.floor(rnd() * 3);
  const extKind = Math.floor(rnd() * 4); // 0 none, 1 one-byte, 2 two-byte, 3 other profile
  const padding = rnd() < 0.2;
  const parts: Buffer[] = [];
  const fixed = Buffer.alloc(12 + 4 * cc);
  fixed[0] = 0x80 | (padding ? 0x20 : 0) | (extKind > 0 ? 0x10 : 0) | cc;
  fixed[1] = (rnd() < 0.5 ? 0x80 : 0) | Math.floor(rnd() * 128);
  fixed.writeUInt16BE(Math.floor(rnd() * 0x10000), 2);
  fixed.writeUInt32BE(Math.floor(rnd() * 0x100000000), 4);
  fixed.writeUInt32BE(Math.floor(rnd() * 0x100000000), 8);
  for (let i = 0; i < cc; i++) fixed.writeUInt32BE(Math.floor(rnd() * 0x100000000), 12 + 4 * i);
  parts.push(fixed);
  if (extKind > 0) {
    const elements: Buffer[] = [];
    const count = 1 + Math.floor(rnd() * 4);
    for (let i = 0; i < count; i++) {
      if (rnd() < 0.3) elements.push(Buffer.alloc(1)); // padding byte between elements
      if (extKind === 1) {
        const len = 1 + Math.floor(rnd() * 16);
        elements.push(Buffer.from([((1 + Math.floor(rnd() * 14)) << 4) | (len - 1)]));
        elements.push(randomBytes(len));
      } else if (extKind === 2) {
        const len = Math.floor(rnd() * 20);
        elements.push(Buffer.from([1 + Math.floor(rnd() * 255), len]), randomBytes(len));
      } else {
        elements.push(randomBytes(4));
      }
    }
    let body = Buffer.concat(elements);
    body = Buffer.concat([body, Buffer.alloc((4 - (body.length % 4)) % 4)]);
    const head = Buffer.alloc(4);
    head.writeUInt16BE(extKind === 1 ? 0xbede : extKind === 2 ? 0x1000 : 0xabcd, 0);
    head.writeUInt16BE(body.length / 4, 2);
    parts.push(head, body);
  }
  parts.push(randomBytes(Math.floor(rnd() * 200)));
  if (padding) {
    const n = 1 + Math.floor(rnd() * 8);
    const pad = Buffer.alloc(n);
    pad[n - 1] = n;
    parts.push(pad);
  }
  return Buffer.concat(parts);
};

/** A small deterministic PRNG (mulberry32), so a failure names its seed. */
const prng = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

const fields = (h: RtpHeader): Record<string, unknown> => ({ ...h });

describe('parseRtpHeader', () => {
  it('matches werift RtpHeader.deSerialize on 2000 generated packets', () => {
    for (let seed = 1; seed <= 2000; seed++) {
      const raw = randomPacket(prng(seed));
      const ours = parseRtpHeader(raw);
      const theirs = RtpHeader.deSerialize(raw);
      expect(fields(ours), `seed ${seed}`).toEqual(fields(theirs));
      expect(ours).toBeInstanceOf(RtpHeader);
      expect(Object.keys(ours)).toEqual(Object.keys(theirs));
    }
  });

  it('round-trips through werift serialize and RtpPacket', () => {
    const header = new RtpHeader({
      payloadType: 96,
      sequenceNumber: 65535,
      timestamp: 0xfffffff0,
      ssrc: 0xdeadbeef,
      marker: true,
      extensions: [
        { id: 1, payload: Buffer.from('0') },
        { id: 5, payload: Buffer.from([1, 2]) },
      ],
    });
    const raw = Buffer.concat([header.serialize(header.serializeSize), Buffer.from('payload')]);
    const parsed = parseRtpHeader(raw);
    expect(parsed.sequenceNumber).toBe(65535);
    expect(parsed.timestamp).toBe(0xfffffff0);
    expect(parsed.ssrc).toBe(0xdeadbeef);
    expect(parsed.marker).toBe(true);
    expect(parsed.extensions.map((e) => [e.id, [...e.payload]])).toEqual([
      [1, [0x30]],
      [5, [1, 2]],
    ]);
    expect(raw.subarray(parsed.payloadOffset).toString()).toBe('payload');
    expect(new RtpPacket(parsed, raw.subarray(parsed.payloadOffset)).serialize()).toEqual(raw);
  });

  it('starts the payload after the extension block even after an id-15 element', () => {
    const raw = Buffer.from([
      0x90, 0x60, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0xbe, 0xde, 0, 1, 0x10, 0xaa, 0xf0, 0, 0x42,
    ]);
    const parsed = parseRtpHeader(raw);
    expect(parsed.extensions).toHaveLength(1);
    expect(raw[parsed.payloadOffset]).toBe(0x42);
  });
});
