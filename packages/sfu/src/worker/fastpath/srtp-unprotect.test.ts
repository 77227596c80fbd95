import { createHmac, randomBytes } from 'node:crypto';
import { RtpHeader, SrtcpSession, SrtpSession } from 'werift';
import { describe, expect, it } from 'vitest';
import {
  masterLengths,
  RolloverCounter,
  SRTP_AEAD_AES_128_GCM,
  SRTP_AES128_CM_HMAC_SHA1_80,
  SrtpProtector,
  type SrtpProfile,
} from './srtp';
import { SrtpUnprotector } from './srtp-unprotect';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

/** RFC 7714 §16/§17: session key and salt used directly for SRTP and SRTCP. */
const rfc7714 = (): SrtpUnprotector => {
  const keys = {
    key: hex('000102030405060708090a0b0c0d0e0f'),
    salt: hex('517569642070726f2071756f'),
  };
  return new SrtpUnprotector(SRTP_AEAD_AES_128_GCM, keys, keys);
};

describe('AEAD_AES_128_GCM unprotect (RFC 7714 §16.1.1, §17.1)', () => {
  it('decrypts the RFC SRTP packet to the RFC payload', () => {
    const srtp = hex(
      '8040f17b 8041f8d3 5501a0b2' +
        'f24de3a3 fb34de6c acba861c 9d7e4bca be633bd5 0d294e6f 42a5f47a 51c7d19b 36de3adf 8833' +
        '899d7f27 beb16a91 52cf765e e4390cce',
    );
    expect(rfc7714().unprotectRtp(srtp, 12)).toEqual(
      hex('47616c6c 69612065 7374206f 6d6e6973 20646976 69736120 696e2070 61727465 73207472 6573'),
    );
  });

  it('decrypts the RFC SRTCP packet (E flag, index 0x5d4) to the RFC RTCP packet', () => {
    const srtcp = hex(
      '81c8000d 4d617273 63e94885 dcdab67c a727d766 2f6b7e99 7ff5c0f7 6c06f32d' +
        'c676a5f1 730d6fda 4ce09b46 86303ded 0bb9275b c84aa458 96cf4d2f c5abf872' +
        '45d9eade 800005d4',
    );
    expect(rfc7714().unprotectRtcp(srtcp)).toEqual(
      hex(
        '81c8000d 4d617273 4e545031 4e545032 52545020 0000042a 0000e930 4c756e61' +
          'deadbeef deadbeef deadbeef deadbeef deadbeef',
      ),
    );
  });
});

describe('AES-CM unprotect (RFC 3711 Appendix B.2 keystream)', () => {
  it('decrypts the first two keystream blocks at SSRC 0, index 0 to zeros', () => {
    const authKey = Buffer.alloc(20, 7);
    const keys = {
      key: hex('2B7E151628AED2A6ABF7158809CF4F3C'),
      salt: hex('F0F1F2F3F4F5F6F7F8F9FAFBFCFD'),
      auth: authKey,
    };
    const unprotector = new SrtpUnprotector(SRTP_AES128_CM_HMAC_SHA1_80, keys, keys);
    const header = Buffer.alloc(12);
    header[0] = 0x80;
    // the payload is the RFC's keystream (counter F0F1..FD0000, F0F1..FD0001), i.e. zeros encrypted
    const body = Buffer.concat([
      header,
      hex('E03EAD0935C95E80E166B16DD92B4EB4'),
      hex('D23513162B02D0F72A43A2FE4A5F97AB'),
    ]);
    // RFC 3711 §4.2: tag = HMAC-SHA1(auth key, packet || ROC) truncated to 80 bits
    const tag = createHmac('sha1', authKey)
      .update(Buffer.concat([body, Buffer.alloc(4)]))
      .digest()
      .subarray(0, 10);
    expect(unprotector.unprotectRtp(Buffer.concat([body, tag]), 12)).toEqual(Buffer.alloc(32));
  });
});

const profiles = [
  ['AES_CM_128_HMAC_SHA1_80', SRTP_AES128_CM_HMAC_SHA1_80],
  ['AEAD_AES_128_GCM', SRTP_AEAD_AES_128_GCM],
] as const;

/** A sender (werift's own SRTP, an independent implementation) and our receiver, same keys. */
const pair = (profile: SrtpProfile) => {
  const lengths = masterLengths(profile);
  const key = randomBytes(lengths.key);
  const salt = randomBytes(lengths.salt);
  const config = {
    keys: {
      localMasterKey: key,
      localMasterSalt: salt,
      remoteMasterKey: randomBytes(lengths.key),
      remoteMasterSalt: randomBytes(lengths.salt),
    },
    profile,
  };
  return {
    srtp: new SrtpSession(config),
    srtcp: new SrtcpSession(config),
    protector: SrtpProtector.fromMaster(profile, key, salt),
    unprotector: SrtpUnprotector.fromMaster(profile, key, salt),
  };
};

const rtpHeader = (seq: number, extensions = true): RtpHeader =>
  new RtpHeader({
    payloadType: 96,
    sequenceNumber: seq,
    timestamp: 90 * seq,
    ssrc: 0x11223344,
    marker: seq % 3 === 0,
    extension: extensions,
    extensions: extensions ? [{ id: 3, payload: Buffer.from([0x01, seq & 0xff]) }] : [],
  });

/** A compound RTCP packet: one receiver report with no blocks from SSRC 0x55667788. */
const rtcpPacket = (): Buffer => hex('80c90001 55667788');

describe.each(profiles)('%s unprotect', (_name, profile: SrtpProfile) => {
  it("decrypts werift's packets across a sequence number wrap (ROC estimation, RFC 3711 §3.3.1)", () => {
    const { srtp, unprotector } = pair(profile);
    for (let i = 0; i < 8; i++) {
      const seq = (65530 + i) & 0xffff;
      const header = rtpHeader(seq);
      const payload = randomBytes(200 + i);
      const packet = srtp.encrypt(payload, header);
      const headerLength = header.serializeSize;
      expect(unprotector.unprotectRtp(packet, headerLength)).toEqual(payload);
    }
    expect(unprotector.drops).toEqual({ malformed: 0, authFailed: 0, replayed: 0, tooOld: 0 });
  });

  it('accepts a late packet from before the wrap with the old ROC', () => {
    const { protector, unprotector } = pair(profile);
    const roc = new RolloverCounter();
    const send = (seq: number): Buffer => {
      const header = rtpHeader(seq, false);
      const bytes = header.serialize(header.serializeSize);
      return protector.protect(
        bytes,
        Buffer.from([seq & 0xff, 1, 2]),
        header.ssrc,
        seq,
        roc.next(seq),
      );
    };
    const beforeWrap = send(65535);
    const afterWrap = send(0);
    const late = send(65534);
    expect(unprotector.unprotectRtp(beforeWrap, 12)).toEqual(Buffer.from([0xff, 1, 2]));
    expect(unprotector.unprotectRtp(afterWrap, 12)).toEqual(Buffer.from([0, 1, 2]));
    expect(unprotector.unprotectRtp(late, 12)).toEqual(Buffer.from([0xfe, 1, 2]));
  });

  it('drops a tampered packet (header or payload) and counts it, without throwing', () => {
    const { srtp, unprotector } = pair(profile);
    const header = rtpHeader(100);
    const packet = srtp.encrypt(randomBytes(120), header);
    const headerLength = header.serializeSize;
    const payloadFlipped = Buffer.from(packet);
    payloadFlipped[headerLength + 5] = payloadFlipped[headerLength + 5]! ^ 1;
    const timestampFlipped = Buffer.from(packet);
    timestampFlipped[7] = timestampFlipped[7]! ^ 1;
    expect(unprotector.unprotectRtp(payloadFlipped, headerLength)).toBeUndefined();
    expect(unprotector.unprotectRtp(timestampFlipped, headerLength)).toBeUndefined();
    expect(unprotector.drops.authFailed).toBe(2);
    // the genuine packet still gets through: a forgery does not advance the replay state
    expect(unprotector.unprotectRtp(packet, headerLength)).toBeDefined();
  });

  it('drops a replayed packet and one older than the replay window (RFC 3711 §3.3.2)', () => {
    const { srtp, unprotector } = pair(profile);
    const packets = Array.from({ length: 1100 }, (_, i) =>
      srtp.encrypt(randomBytes(40), rtpHeader(i)),
    );
    const headerLength = rtpHeader(0).serializeSize;
    expect(unprotector.unprotectRtp(packets[1]!, headerLength)).toBeDefined();
    expect(unprotector.unprotectRtp(packets[1]!, headerLength)).toBeUndefined();
    expect(unprotector.drops.replayed).toBe(1);
    // a reordered packet inside the window is fine, once
    expect(unprotector.unprotectRtp(packets[3]!, headerLength)).toBeDefined();
    expect(unprotector.unprotectRtp(packets[2]!, headerLength)).toBeDefined();
    expect(unprotector.unprotectRtp(packets[2]!, headerLength)).toBeUndefined();
    expect(unprotector.unprotectRtp(packets[1099]!, headerLength)).toBeDefined();
    // index 0 is 1099 behind the highest: below the 1024-packet window
    expect(unprotector.unprotectRtp(packets[0]!, headerLength)).toBeUndefined();
    expect(unprotector.drops).toEqual({ malformed: 0, authFailed: 0, replayed: 2, tooOld: 1 });
  });

  it("decrypts werift's SRTCP and drops a tampered or replayed one", () => {
    const { srtcp, unprotector } = pair(profile);
    const first = srtcp.encrypt(rtcpPacket());
    const second = srtcp.encrypt(rtcpPacket());
    expect(unprotector.unprotectRtcp(first)).toEqual(rtcpPacket());
    expect(unprotector.unprotectRtcp(first)).toBeUndefined();
    const tampered = Buffer.from(second);
    tampered[9] = tampered[9]! ^ 0x40;
    expect(unprotector.unprotectRtcp(tampered)).toBeUndefined();
    expect(unprotector.unprotectRtcp(second)).toEqual(rtcpPacket());
    expect(unprotector.unprotectRtcp(Buffer.alloc(6))).toBeUndefined();
    expect(unprotector.drops).toEqual({ malformed: 1, authFailed: 1, replayed: 1, tooOld: 0 });
  });
});
