import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RtcpPacket, RtcpReceiverInfo } from 'werift';
import { MediaWorker } from './media-worker';
import { Participant } from './testing/participant';

/**
 * The publisher's view of the SFU's receiver reports (worker/rtcp/publish-rtcp.ts): one compound
 * packet per transport with a block for each of its streams, about once a second, right counts,
 * and LSR/DLSR that let it measure its round-trip time (RFC 3550 §6.4.1), as a browser does;
 * its sender reports are read on the receive fast path (worker/fastpath/sender-reports.ts).
 */
let worker: MediaWorker;
let alice: Participant;

interface SenderInternals {
  ssrc: number;
  rtt?: number;
  sequenceNumber: number;
  dtlsTransport: { onRtcp: { subscribe(listener: (packet: RtcpPacket) => void): unknown } };
}

const sender = (kind: 'audio' | 'video'): SenderInternals =>
  alice.publisher[kind].sender as unknown as SenderInternals;

beforeAll(async () => {
  worker = await MediaWorker.create({ iceAdditionalHostAddresses: ['127.0.0.1'] });
  const router = await worker.createRouter();
  alice = new Participant({ transportCc: true });
  await alice.join(router);
});
afterAll(async () => {
  await alice.leave();
  await worker.close();
});

describe('receiver reports to a publisher', () => {
  it('come once a second per transport, covering audio and video, and give the publisher its RTT', async () => {
    const reports: { at: number; blocks: RtcpReceiverInfo[] }[] = [];
    sender('video').dtlsTransport.onRtcp.subscribe((packet) => {
      if (packet.type !== 201) return; // RFC 3550 §6.4.2 RR
      reports.push({
        at: performance.now(),
        blocks: (packet as { reports: RtcpReceiverInfo[] }).reports,
      });
    });
    alice.publisher.start({ audioPps: 50, videoPps: 100 });
    const audioSsrc = sender('audio').ssrc;
    const videoSsrc = sender('video').ssrc;
    // werift's publisher sends a sender report within ~1 s; the next RR echoes it
    await expect.poll(() => sender('video').rtt, { timeout: 10_000 }).toBeDefined();
    await expect.poll(() => reports.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(4);
    alice.publisher.stop();
    // the publisher's sender reports were read by the receive fast path, not werift's router
    expect((await worker.dump()).rtpReceivePath.senderReports).toBeGreaterThanOrEqual(2);

    // one report per transport: both streams in each, not one RR per stream
    for (const r of reports) {
      expect(r.blocks.map((b) => b.ssrc).sort()).toEqual([audioSsrc, videoSsrc].sort());
    }
    const gaps = reports.slice(1).map((r, i) => r.at - reports[i]!.at);
    for (const gap of gaps) {
      expect(gap).toBeGreaterThan(400);
      expect(gap).toBeLessThan(1700);
    }
    const last = reports.at(-1)!.blocks.find((b) => b.ssrc === videoSsrc)!;
    expect(last.packetsLost).toBe(0);
    expect(last.fractionLost).toBe(0);
    // the video sender is at most a few packets ahead of what the report saw
    expect((sender('video').sequenceNumber - last.highestSequence) & 0xffff).toBeLessThan(200);
    // loopback: a round trip of well under 100 ms
    expect(sender('video').rtt!).toBeGreaterThanOrEqual(0);
    expect(sender('video').rtt!).toBeLessThan(0.1);
  });
});
