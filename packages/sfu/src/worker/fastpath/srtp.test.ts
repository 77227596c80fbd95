import { randomBytes } from 'node:crypto';
import { RtpHeader, SrtpSession } from 'werift';
import { describe, expect, it } from 'vitest';
import {
  deriveSessionKey,
  LABEL_SRTP_AUTH,
  LABEL_SRTP_ENCRYPTION,
  LABEL_SRTP_SALT,
  RolloverCounter,
  SRTP_AEAD_AES_128_GCM,
  SRTP_AES128_CM_HMAC_SHA1_80,
  SrtpProtector,
  masterLengths,
  type SrtpProfile,
} from './srtp';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('SRTP key derivation (RFC 3711 Appendix B.3)', () => {
  const masterKey = hex('E1F97A0D3E018BE0D64FA32C06DE4139');
  const masterSalt = hex('0EC675AD498AFEEBB6960B3AABE6');

  it('derives the cipher key, salt and auth key the RFC lists', () => {
    expect(deriveSessionKey(masterKey, masterSalt, LABEL_SRTP_ENCRYPTION, 16)).toEqual(
      hex('C61E7A93744F39EE10734AFE3FF7A087'),
    );
    expect(deriveSessionKey(masterKey, masterSalt, LABEL_SRTP_SALT, 14)).toEqual(
      hex('30CBBC08863D8C85D49DB34A9AE1'),
    );
    expect(deriveSessionKey(masterKey, masterSalt, LABEL_SRTP_AUTH, 20)).toEqual(
      hex('CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4'),
    );
  });
});

describe('AES-CM keystream (RFC 3711 Appendix B.2)', () => {
  it('encrypts zeros at SSRC 0, index 0 to the first keystream block', () => {
    const protector = new SrtpProtector(
      SRTP_AES128_CM_HMAC_SHA1_80,
      hex('2B7E151628AED2A6ABF7158809CF4F3C'),
      hex('F0F1F2F3F4F5F6F7F8F9FAFBFCFD'),
      Buffer.alloc(20),
    );
    const header = Buffer.alloc(12);
    header[0] = 0x80;
    const out = protector.protect(header, Buffer.alloc(32), 0, 0, 0);
    expect(out.length).toBe(12 + 32 + 10);
    // keystream blocks 0 and 1 (counter F0F1...FD0000, F0F1...FD0001)
    expect(out.subarray(12, 28)).toEqual(hex('E03EAD0935C95E80E166B16DD92B4EB4'));
    expect(out.subarray(28, 44)).toEqual(hex('D23513162B02D0F72A43A2FE4A5F97AB'));
  });
});

describe('AEAD_AES_128_GCM (RFC 7714 §16.1.1)', () => {
  it('protects the RFC packet to the RFC ciphertext and tag', () => {
    const protector = new SrtpProtector(
      SRTP_AEAD_AES_128_GCM,
      hex('000102030405060708090a0b0c0d0e0f'),
      hex('517569642070726f2071756f'),
    );
    const header = hex('8040f17b 8041f8d3 5501a0b2');
    const payload = hex(
      '47616c6c 69612065 7374206f 6d6e6973 20646976 69736120 696e2070 61727465 73207472 6573',
    );
    const out = protector.protect(header, payload, 0x5501a0b2, 0xf17b, 0);
    expect(out).toEqual(
      hex(
        '8040f17b 8041f8d3 5501a0b2' +
          'f24de3a3 fb34de6c acba861c 9d7e4bca be633bd5 0d294e6f 42a5f47a 51c7d19b 36de3adf 8833' +
          '899d7f27 beb16a91 52cf765e e4390cce',
      ),
    );
  });
});

describe('RolloverCounter (RFC 3711 §3.3.1)', () => {
  it('counts wraps and keeps late packets in the previous cycle', () => {
    const roc = new RolloverCounter();
    expect(roc.next(65534)).toBe(0);
    expect(roc.next(65535)).toBe(0);
    expect(roc.next(0)).toBe(1);
    expect(roc.next(65533)).toBe(0); // late, from before the wrap
    expect(roc.next(1)).toBe(1);
    expect(roc.next(1)).toBe(1);
  });
});

/** Interop: werift's independent SRTP implementation (the receive side) accepts what we protect. */
describe.each([
  ['AES_CM_128_HMAC_SHA1_80', SRTP_AES128_CM_HMAC_SHA1_80],
  ['AEAD_AES_128_GCM', SRTP_AEAD_AES_128_GCM],
] as const)('%s interop with werift', (_name, profile: SrtpProfile) => {
  it('decrypts our packets, across a sequence number wrap, with header extensions', () => {
    const lengths = masterLengths(profile);
    const key = randomBytes(lengths.key);
    const salt = randomBytes(lengths.salt);
    const protector = SrtpProtector.fromMaster(profile, key, salt);
    const receiver = new SrtpSession({
      keys: {
        localMasterKey: randomBytes(lengths.key),
        localMasterSalt: randomBytes(lengths.salt),
        remoteMasterKey: key,
        remoteMasterSalt: salt,
      },
      profile,
    });
    const roc = new RolloverCounter();
    const ssrc = 0x12345678;
    for (let i = 0; i < 6; i++) {
      const seq = (65532 + i) & 0xffff;
      const header = new RtpHeader({
        payloadType: 96,
        sequenceNumber: seq,
        timestamp: 1000 * i,
        ssrc,
        marker: i % 2 === 0,
        extensions: [{ id: 3, payload: Buffer.from([0x01, i]) }],
      });
      const headerBytes = header.serialize(header.serializeSize);
      const payload = randomBytes(100 + i);
      const srtp = protector.protect(headerBytes, payload, ssrc, seq, roc.next(seq));
      const plain = receiver.decrypt(srtp);
      expect(plain.subarray(0, headerBytes.length)).toEqual(headerBytes);
      expect(plain.subarray(headerBytes.length)).toEqual(payload);
    }
  });

  it('a flipped bit fails authentication at the receiver', () => {
    const lengths = masterLengths(profile);
    const key = randomBytes(lengths.key);
    const salt = randomBytes(lengths.salt);
    const receiver = new SrtpSession({
      keys: {
        localMasterKey: key,
        localMasterSalt: salt,
        remoteMasterKey: key,
        remoteMasterSalt: salt,
      },
      profile,
    });
    const header = new RtpHeader({ payloadType: 111, sequenceNumber: 7, timestamp: 1, ssrc: 9 });
    const bytes = header.serialize(header.serializeSize);
    const srtp = SrtpProtector.fromMaster(profile, key, salt).protect(
      bytes,
      randomBytes(40),
      9,
      7,
      0,
    );
    srtp[20] = srtp[20]! ^ 1;
    expect(() => receiver.decrypt(srtp)).toThrow();
  });
});
