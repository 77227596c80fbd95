import { randomBytes } from 'node:crypto';
import { SrtcpSession } from 'werift';
import { describe, expect, it } from 'vitest';
import {
  masterLengths,
  SRTP_AEAD_AES_128_GCM,
  SRTP_AES128_CM_HMAC_SHA1_80,
  type SrtpProfile,
} from './srtp';
import { SrtcpProtector } from './srtcp-protect';
import { SrtpUnprotector } from './srtp-unprotect';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('AEAD_AES_128_GCM SRTCP protect (RFC 7714 §17.1)', () => {
  it('encrypts the RFC RTCP packet at index 0x5d4 to the RFC SRTCP packet', () => {
    const protector = new SrtcpProtector(
      SRTP_AEAD_AES_128_GCM,
      hex('000102030405060708090a0b0c0d0e0f'),
      hex('517569642070726f2071756f'),
    );
    const rtcp = hex(
      '81c8000d 4d617273 4e545031 4e545032 52545020 0000042a 0000e930 4c756e61' +
        'deadbeef deadbeef deadbeef deadbeef deadbeef',
    );
    expect(protector.protectWithIndex(rtcp, 0x4d617273, 0x5d4)).toEqual(
      hex(
        '81c8000d 4d617273 63e94885 dcdab67c a727d766 2f6b7e99 7ff5c0f7 6c06f32d' +
          'c676a5f1 730d6fda 4ce09b46 86303ded 0bb9275b c84aa458 96cf4d2f c5abf872' +
          '45d9eade 800005d4',
      ),
    );
  });
});

const profiles = [
  ['AES128_CM_HMAC_SHA1_80', SRTP_AES128_CM_HMAC_SHA1_80],
  ['AEAD_AES_128_GCM', SRTP_AEAD_AES_128_GCM],
] as const;

/** A receiver report of `ssrc` with one block (RFC 3550 §6.4.2). */
const receiverReport = (ssrc: number, highestSeq: number): Buffer => {
  const rr = Buffer.alloc(32);
  rr[0] = 0x81;
  rr[1] = 201;
  rr.writeUInt16BE(7, 2);
  rr.writeUInt32BE(ssrc, 4);
  rr.writeUInt32BE(0xcafe, 8);
  rr.writeUInt32BE(highestSeq, 16);
  return rr;
};

const keys = (profile: SrtpProfile) => {
  const lengths = masterLengths(profile);
  return { key: randomBytes(lengths.key), salt: randomBytes(lengths.salt) };
};

describe.each(profiles)('%s SRTCP protect', (_name, profile) => {
  it('is read back by werift, an independent SRTCP implementation, packet after packet', () => {
    const { key, salt } = keys(profile);
    const protector = SrtcpProtector.fromMaster(profile, key, salt);
    const lengths = masterLengths(profile);
    const werift = new SrtcpSession({
      keys: {
        localMasterKey: randomBytes(lengths.key),
        localMasterSalt: randomBytes(lengths.salt),
        remoteMasterKey: key,
        remoteMasterSalt: salt,
      },
      profile,
    });
    for (let i = 0; i < 3; i++) {
      const rr = receiverReport(0x1234, 1000 + i);
      expect(Buffer.from(werift.decrypt(protector.protect(rr)!))).toEqual(rr);
    }
  });

  it('numbers each sender SSRC on its own, so our receiver accepts both streams in full', () => {
    const { key, salt } = keys(profile);
    const protector = SrtcpProtector.fromMaster(profile, key, salt);
    const unprotector = SrtpUnprotector.fromMaster(profile, key, salt);
    const indexOf = (srtcp: Buffer): number => {
      const at = profile === SRTP_AEAD_AES_128_GCM ? srtcp.length - 4 : srtcp.length - 14;
      return srtcp.readUInt32BE(at) & 0x7fffffff;
    };
    const a = [1, 2, 3].map((i) => protector.protect(receiverReport(0xa, i))!);
    const b = protector.protect(receiverReport(0xb, 9))!;
    expect(a.map(indexOf)).toEqual([0, 1, 2]);
    expect(indexOf(b)).toBe(0);
    for (const p of [...a, b]) expect(unprotector.unprotectRtcp(p)).toBeDefined();
    expect(unprotector.drops.replayed).toBe(0);
  });

  it('encrypts the report (E flag set, nothing after the header in the clear)', () => {
    const { key, salt } = keys(profile);
    const rr = receiverReport(0x1234, 0x00abcdef);
    const srtcp = SrtcpProtector.fromMaster(profile, key, salt).protect(rr)!;
    expect(srtcp.subarray(0, 8)).toEqual(rr.subarray(0, 8));
    expect(srtcp.includes(rr.subarray(16, 20))).toBe(false);
  });
});
