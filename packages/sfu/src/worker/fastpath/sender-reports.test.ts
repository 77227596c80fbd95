import {
  RtcpReceiverInfo,
  RtcpSenderInfo,
  RtcpSourceDescriptionPacket,
  RtcpSrPacket,
  SourceDescriptionChunk,
  SourceDescriptionItem,
} from 'werift';
import { describe, expect, it } from 'vitest';
import { senderReportsOnly } from './sender-reports';

/** A sender report as werift's sender writes it (an independent serializer). */
const sr = (ssrc: number, reports: RtcpReceiverInfo[] = []): Buffer =>
  new RtcpSrPacket({
    ssrc,
    senderInfo: new RtcpSenderInfo({
      ntpTimestamp: (0xe1b2c3d4n << 32n) | 0x80000000n,
      rtpTimestamp: 123456,
      packetCount: 1000,
      octetCount: 900_000,
    }),
    reports,
  }).serialize();

const sdes = (ssrc: number): Buffer =>
  new RtcpSourceDescriptionPacket({
    chunks: [
      new SourceDescriptionChunk({
        source: ssrc,
        items: [new SourceDescriptionItem({ type: 1, text: 'alice-cname' })],
      }),
    ],
  }).serialize();

describe("a publisher's sender reports (RFC 3550 §6.4.1)", () => {
  it('reads every field of each SR of an SR + SR + SDES compound packet', () => {
    const reports = senderReportsOnly(Buffer.concat([sr(0xa), sr(0xb), sdes(0xa)]));
    expect(reports).toEqual([
      {
        ssrc: 0xa,
        ntpSeconds: 0xe1b2c3d4,
        ntpFraction: 0x80000000,
        rtpTimestamp: 123456,
        packetCount: 1000,
        octetCount: 900_000,
      },
      expect.objectContaining({ ssrc: 0xb }),
    ]);
  });

  it('leaves to werift what it does not read: report blocks, feedback, SDES alone, bad lengths', () => {
    const withBlock = sr(0xa, [new RtcpReceiverInfo({ ssrc: 9, highestSequence: 1 })]);
    expect(senderReportsOnly(withBlock)).toBeUndefined();
    const pli = Buffer.from('81ce0002000000010000000a', 'hex'); // RFC 4585 §6.3.1
    expect(senderReportsOnly(Buffer.concat([sr(0xa), pli]))).toBeUndefined();
    expect(senderReportsOnly(sdes(0xa))).toBeUndefined();
    expect(senderReportsOnly(sr(0xa).subarray(0, 24))).toBeUndefined();
    const longer = Buffer.concat([sr(0xa), Buffer.alloc(4)]);
    longer.writeUInt16BE(7, 2); // claims a word more than an SR without blocks has
    expect(senderReportsOnly(longer)).toBeUndefined();
  });
});
