import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RtpHeader, RtpPacket, type RTCRtpReceiver } from 'werift';
import { DirectReceiver, recordArrival, type StreamStatisticsFields } from './media-routes';

// werift's own StreamStatistics (not exported from its root; the CommonJS build of the same source)
const require = createRequire(import.meta.url);
const { StreamStatistics } = require(
  join(dirname(require.resolve('werift')), 'media/receiver/statistics.js'),
) as {
  StreamStatistics: new (clockRate: number) => StreamStatisticsFields & {
    add(packet: { header: RtpHeader; payload: Buffer }, now: number): void;
    readonly fraction_lost: number;
    readonly packets_lost: number;
    readonly jitter: number;
  };
};

/** A pseudo-random walk of arrivals: in order, late, duplicated, lost, across a sequence wrap. */
const arrivals = (count: number, seed: number) => {
  let x = seed;
  const rand = (): number => {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    return x / 0x7fffffff;
  };
  const out: { seq: number; ts: number; nowS: number; size: number }[] = [];
  let seq = 65536 - Math.floor(count / 3);
  let ts = 0xffffffff - 90000;
  let now = 1_765_000_000.123;
  for (let i = 0; i < count; i++) {
    const r = rand();
    const s = r < 0.02 ? seq - 3 : r < 0.03 ? seq - 1 : (seq += r < 0.15 ? 3 : 1);
    if (r >= 0.03 && rand() < 0.6) ts = (ts + 3000) >>> 0;
    now += rand() * 0.02;
    out.push({ seq: s & 0xffff, ts, nowS: now, size: 100 + Math.floor(rand() * 1000) });
  }
  return out;
};

describe('recordArrival', () => {
  it('keeps werift’s StreamStatistics exactly as werift’s own add does', () => {
    for (const seed of [1, 7, 42]) {
      const theirs = new StreamStatistics(90000);
      const ours = new StreamStatistics(90000);
      for (const a of arrivals(3000, seed)) {
        const header = new RtpHeader({ sequenceNumber: a.seq, timestamp: a.ts, payloadType: 96 });
        const payload = Buffer.alloc(a.size);
        theirs.add({ header, payload }, a.nowS);
        recordArrival(ours, header, payload.length, a.nowS);
      }
      const { lastPacketReceivedTimestamp: _t, ...want } = theirs;
      const { lastPacketReceivedTimestamp: _o, ...got } = ours;
      expect(got).toEqual(want);
      // what goes into the receiver report (RFC 3550 §6.4.1)
      expect([ours.packets_lost, ours.jitter, ours.fraction_lost]).toEqual([
        theirs.packets_lost,
        theirs.jitter,
        theirs.fraction_lost,
      ]);
      expect(ours.packets_lost).toBeGreaterThan(0);
      expect(ours.jitter).toBeGreaterThan(0);
      expect(ours.cycles).toBe(65536);
    }
  });
});

describe('DirectReceiver.accept', () => {
  it('records each packet at the arrival time it is given (one clock reading per packet)', () => {
    const ssrc = 0x1234;
    const stats = new StreamStatistics(90000);
    const nacked: number[] = [];
    const receiver = {
      stopped: false,
      codecs: { 96: { name: 'VP8', rtcpFeedback: [{ type: 'nack' }] } },
      remoteStreams: { [ssrc]: stats },
      nack: { addPacket: (p: RtpPacket) => nacked.push(p.header.sequenceNumber) },
    } as unknown as RTCRtpReceiver;
    const direct = new DirectReceiver(receiver, 'video', () => []);
    // 30 fps, every frame exactly 1/30 s after the last: no jitter at all (RFC 3550 §6.4.1)
    const startS = 1_765_000_000;
    for (let i = 0; i < 30; i++) {
      const header = new RtpHeader({
        sequenceNumber: i,
        timestamp: i * 3000,
        payloadType: 96,
        ssrc,
      });
      expect(direct.accept(new RtpPacket(header, Buffer.alloc(100)), startS + i / 30)).toBe(true);
    }
    expect(stats.packets_received).toBe(30);
    expect(stats.jitter).toBe(0);
    expect(stats.lastPacketReceivedTimestamp).toBeCloseTo((startS + 29 / 30) * 1000, 3);
    expect(nacked).toHaveLength(30);
  });
});
