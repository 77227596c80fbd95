import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FALLBACK_MS, pollRtcpTick, PublishRtcp, type ReceptionSource } from './publish-rtcp';
import type { ReceptionStats } from './receiver-report';

/** A stream that got sequence numbers 100..109 in order. */
const stream = (): ReceptionStats => ({
  base_seq: 100,
  max_seq: 109,
  cycles: 0,
  packets_received: 10,
  bytesReceived: 0,
  headerBytesReceived: 0,
  clockRate: 90000,
  jitter_q4: 0,
  expected_prior: 0,
  received_prior: 0,
});

/** RTCP packet types in a compound packet, in order (RFC 3550 §6.1 length field). */
const packetTypes = (compound: Buffer): number[] => {
  const types: number[] = [];
  for (let at = 0; at < compound.length; at += (compound.readUInt16BE(at + 2) + 1) * 4) {
    types.push(compound[at + 1]!);
  }
  return types;
};

const RR = 201;
const RTPFB = 205;

describe('RTCP of the publish transports of one media worker', () => {
  beforeEach(() => {
    vi.useFakeTimers({
      toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout', 'Date', 'performance'],
    });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const publisher = (senderSsrc: number, out: Buffer[], sources: ReceptionSource[] = []) =>
    new PublishRtcp({ senderSsrc, sources: () => sources, send: (p) => out.push(p) });

  it('every publisher gets its feedback each 100 ms from one shared timer (one wake-up, not one per publisher)', () => {
    const sent: Buffer[][] = [[], [], []];
    const publishers = sent.map((out, i) => publisher(i + 1, out));
    expect(vi.getTimerCount()).toBe(1);
    publishers.forEach((p, i) => {
      p.onTransportSeq(100, 1000 + i, 5);
      p.onTransportSeq(101, 1000 + i, 6);
    });
    vi.advanceTimersByTime(FALLBACK_MS);
    expect(sent.map((out) => out.length)).toEqual([1, 1, 1]);
    // each feedback names its own transport's sender SSRC (RFC 4585 §6.1)
    expect(sent.map((out) => out[0]!.readUInt32BE(4))).toEqual([1, 2, 3]);
    vi.advanceTimersByTime(FALLBACK_MS);
    expect(sent.map((out) => out.length)).toEqual([1, 1, 1]); // nothing new arrived
    for (const p of publishers) p.close();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a closed transport sends nothing more, and the timer stops with the last one', () => {
    const a: Buffer[] = [];
    const b: Buffer[] = [];
    const pa = publisher(1, a);
    const pb = publisher(2, b);
    pa.onTransportSeq(1, 9, 0);
    pb.onTransportSeq(1, 9, 0);
    pa.close();
    vi.advanceTimersByTime(FALLBACK_MS);
    expect([a.length, b.length]).toEqual([0, 1]);
    pb.close();
    expect(vi.getTimerCount()).toBe(0);
  });

  it("one transport's failing send does not hold back the others' feedback", () => {
    const ok: Buffer[] = [];
    const bad = new PublishRtcp({
      senderSsrc: 1,
      sources: () => [],
      send: () => {
        throw new Error('socket gone');
      },
    });
    const good = publisher(2, ok);
    bad.onTransportSeq(1, 9, 0);
    good.onTransportSeq(1, 9, 0);
    vi.advanceTimersByTime(FALLBACK_MS);
    expect(ok.length).toBe(1);
    bad.close();
    good.close();
  });

  it('while media arrives, each tick runs from a packet (no timer wake-up of its own)', () => {
    const out: Buffer[] = [];
    const p = publisher(1, out);
    let fromPackets = 0;
    let fromTimer = 0;
    for (let seq = 0; seq < 200; seq++) {
      const beforeTimers = out.length;
      vi.advanceTimersByTime(10); // packets every 10 ms
      fromTimer += out.length - beforeTimers;
      const before = out.length;
      p.onTransportSeq(seq, 9, performance.now());
      pollRtcpTick(performance.now());
      fromPackets += out.length - before;
    }
    // 2 s of media: a feedback packet every 100 ms, all sent from packet arrivals
    expect(fromPackets).toBeGreaterThanOrEqual(18);
    expect(fromPackets).toBeLessThanOrEqual(20);
    expect(fromTimer).toBe(0);
    // media stops: the timer sends what is left, and then nothing
    p.onTransportSeq(200, 9, performance.now());
    vi.advanceTimersByTime(FALLBACK_MS);
    expect(out.length).toBe(fromPackets + 1);
    p.close();
  });

  it('the publisher gets a receiver report about every second, with a block per received SSRC', () => {
    const out: Buffer[] = [];
    const sources = [0xa, 0xb].map((ssrc) => ({ ssrc, stats: stream(), lastSr: undefined }));
    const p = publisher(7, out, sources);
    vi.advanceTimersByTime(10_000);
    const reports = out.filter((packet) => packetTypes(packet).includes(RR));
    // RFC 3550 §6.3.5: intervals of 0.5-1.5 s, so 7 to 20 in 10 s (about 10)
    expect(reports.length).toBeGreaterThanOrEqual(7);
    expect(reports.length).toBeLessThanOrEqual(20);
    const rr = reports[0]!;
    expect(rr[0]! & 0x1f).toBe(2); // RC: two report blocks
    expect(rr.readUInt32BE(4)).toBe(7);
    expect([rr.readUInt32BE(8), rr.readUInt32BE(32)]).toEqual([0xa, 0xb]);
    p.close();
  });

  it('a due receiver report and the feedback go out as one compound packet, RR first', () => {
    const out: Buffer[] = [];
    const sources = [{ ssrc: 0xa, stats: stream(), lastSr: undefined }];
    const p = publisher(7, out, sources);
    for (let t = 0; t < 2000; t += 10) {
      p.onTransportSeq(t / 10, 0xa, performance.now());
      pollRtcpTick(performance.now());
      vi.advanceTimersByTime(10);
    }
    // one packet per tick (every 100 ms), never an RR and a feedback packet apart
    expect(out.length).toBeGreaterThanOrEqual(19);
    expect(out.length).toBeLessThanOrEqual(20);
    const compound = out.filter((packet) => packetTypes(packet).length > 1);
    expect(compound.length).toBeGreaterThanOrEqual(1);
    for (const packet of compound) expect(packetTypes(packet)).toEqual([RR, RTPFB]);
    p.close();
  });
});
