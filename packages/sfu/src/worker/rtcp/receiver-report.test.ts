import { RtcpPacketConverter, RtpHeader, type RtcpRrPacket } from 'werift';
import { describe, expect, it } from 'vitest';
import { recordArrival } from '../fastpath/media-routes';
import { reportBlock, serializeReceiverReports, type ReceptionStats } from './receiver-report';

const CLOCK = 8000;

const fresh = (): ReceptionStats => ({
  cycles: 0,
  packets_received: 0,
  bytesReceived: 0,
  headerBytesReceived: 0,
  clockRate: CLOCK,
  jitter_q4: 0,
  expected_prior: 0,
  received_prior: 0,
});

/** One packet as the receive fast path records it: sequence number, RTP timestamp, arrival (s). */
const arrive = (s: ReceptionStats, seq: number, timestamp: number, atS: number): void =>
  recordArrival(s, new RtpHeader({ sequenceNumber: seq, timestamp, ssrc: 0xa }), 100, atS);

describe('receiver report blocks (RFC 3550 §6.4.1, §A.3, §A.8)', () => {
  // 65535 lost, 1 after 2 (reordered), 4 lost, 5 twice; 20 ms packets at 8 kHz (160 ticks)
  const stats = fresh();
  arrive(stats, 65533, 0, 0); // first: base_seq, no jitter sample
  arrive(stats, 65534, 160, 0.02); // transit unchanged: D = 0, J = 0
  arrive(stats, 0, 480, 0.07); // wrap; D = |(560 - 160) - (480 - 160)| = 80: J16 = 80
  arrive(stats, 2, 800, 0.11); // D = 0: J16 = 80 - ((80 + 8) >> 4) = 75
  arrive(stats, 1, 640, 0.115); // late: counted, not a jitter sample (not in order)
  arrive(stats, 3, 960, 0.15); // D = |320 - 160| = 160: J16 = 75 + 160 - 5 = 230

  it('counts expected packets across the sequence wrap, loss and fraction lost since the last report', () => {
    const block = reportBlock(0xa, stats, undefined, 1);
    // 65533..65535 and 0..3: 7 expected, 6 received
    expect(block).toEqual({
      ssrc: 0xa,
      highestSeq: 0x10003, // one cycle, highest 3
      cumulativeLost: 1,
      fractionLost: Math.floor(256 / 7), // 1 of 7 in this interval
      jitter: 230 >> 4, // 14 timestamp units
      lsr: 0,
      dlsr: 0,
    });
  });

  it('reports the next interval on its own and a duplicate as not lost', () => {
    arrive(stats, 5, 1280, 0.19); // 4 lost; D = 0: J16 = 230 - ((230 + 8) >> 4) = 216
    const second = reportBlock(0xa, stats, undefined, 2);
    // expected 9 (+2), received 7 (+1): half of this interval lost
    expect([second.cumulativeLost, second.fractionLost, second.jitter]).toEqual([2, 128, 13]);
    arrive(stats, 5, 1280, 0.2); // a duplicate: received 8, expected still 9
    const third = reportBlock(0xa, stats, undefined, 3);
    expect([third.highestSeq, third.cumulativeLost, third.fractionLost]).toEqual([0x10005, 1, 0]);
  });

  it('echoes the last sender report and the delay since it in 1/65536 s', () => {
    const block = reportBlock(0xa, fresh(), { lsr: 0x12345678, receivedAtS: 100 }, 100.5);
    expect([block.lsr, block.dlsr]).toEqual([0x12345678, 0x8000]);
  });
});

describe('receiver report packets (RFC 3550 §6.4.2)', () => {
  const block = {
    ssrc: 0xa,
    fractionLost: 36,
    cumulativeLost: -1,
    highestSeq: 0x10003,
    jitter: 14,
    lsr: 0x12345678,
    dlsr: 0x8000,
  };

  it('writes the header and each block field where the RFC puts them', () => {
    expect(serializeReceiverReports(0x01020304, [block]).toString('hex')).toBe(
      '81c90007' +
        '01020304' +
        '0000000a' +
        '24' + // fraction lost
        'ffffff' + // cumulative lost -1 (signed 24 bits)
        '00010003' +
        '0000000e' +
        '12345678' +
        '00008000',
    );
  });

  it('splits more than 31 blocks over RRs of one compound packet that werift reads back', () => {
    const blocks = Array.from({ length: 33 }, (_, i) => ({ ...block, ssrc: i + 1 }));
    const compound = serializeReceiverReports(7, blocks);
    const [first, second] = RtcpPacketConverter.deSerialize(compound) as RtcpRrPacket[];
    if (!first || !second) throw new Error('two RRs expected');
    expect(first.reports.map((r) => r.ssrc)).toEqual(blocks.slice(0, 31).map((b) => b.ssrc));
    expect(second.reports.map((r) => r.ssrc)).toEqual([32, 33]);
    expect(second.reports[0]!.lsr).toBe(0x12345678);
    expect(compound.length).toBe(2 * 8 + 33 * 24);
  });
});
