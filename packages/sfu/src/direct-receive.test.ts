import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GenericNack, RtcpPacket, RtcpReceiverInfo } from 'werift';
import { MediaWorker } from './media-worker';
import type { Producer } from './producer';
import { waitFor } from './testing/fake-participant';
import { Participant } from './testing/participant';

/**
 * Once a stream's SSRC is known, its packets go from the SRTP receive path straight to the
 * producer layer (worker/fastpath/media-routes.ts), past werift's router and receiver. What
 * werift's receiver did for the publisher must still happen: NACKs for a gap, receiver reports
 * that count every packet, transport-cc feedback for every packet.
 */
let worker: MediaWorker;
let alice: Participant;
let bob: Participant;
let video: Producer;
let audio: Producer;

interface PublisherInternals {
  seqOffset: number;
  onRtcp: { subscribe(listener: (packet: RtcpPacket) => void): unknown };
  onGenericNack: { subscribe(listener: (nack: GenericNack) => void): unknown };
  dtlsTransport: {
    transportSequenceNumber: number;
    onRtcp: { subscribe(listener: (packet: RtcpPacket) => void): unknown };
  };
  ssrc: number;
  sequenceNumber: number;
}

const videoSender = (): PublisherInternals =>
  alice.publisher.video.sender as unknown as PublisherInternals;

beforeAll(async () => {
  worker = await MediaWorker.create({ iceAdditionalHostAddresses: ['127.0.0.1'] });
  const router = await worker.createRouter();
  alice = new Participant({ transportCc: true });
  bob = new Participant({ audio: false, video: false });
  await alice.join(router);
  await bob.join(router);
  video = alice.producers.find((p) => p.kind === 'video')!;
  audio = alice.producers.find((p) => p.kind === 'audio')!;
  await bob.consume([audio, video]);
});
afterAll(async () => {
  await alice.leave();
  await bob.leave();
  await worker.close();
});

describe('direct receive path', () => {
  it('takes every packet after a stream’s first, counted once and forwarded in order', async () => {
    const [audioMid, videoMid] = bob.consumers.map((c) => c.mid);
    const start = (await worker.dump()).rtpReceivePath;
    // until Bob's video consumer has picked its layer, video is not forwarded
    let warmup = 0;
    await waitFor(
      () => {
        alice.publisher.sendVideo(1);
        warmup++;
        return bob.subscriber.count(videoMid!) > 0;
      },
      10_000,
      'first video',
    );
    alice.publisher.sendAudio(1);
    await waitFor(() => bob.subscriber.count(audioMid!) > 0, 10_000, 'first audio');
    const beforeDump = await worker.dump();
    const before = beforeDump.rtpReceivePath;
    // werift's router saw the first packet of each stream (it learns the track there)
    expect(before.werift - start.werift).toBeGreaterThanOrEqual(2);
    const videoSeen = bob.subscriber.count(videoMid!);

    alice.publisher.sendVideo(40);
    alice.publisher.sendAudio(40);
    await expect
      .poll(() => [bob.subscriber.count(audioMid!), bob.subscriber.count(videoMid!)], {
        timeout: 10_000,
      })
      .toEqual([41, videoSeen + 40]);
    const afterDump = await worker.dump();
    const after = afterDump.rtpReceivePath;
    expect(after.direct - before.direct).toBe(80);
    expect(after.werift).toBe(before.werift);
    // read from the UDP socket directly (RTCP too), not through werift's ICE connection
    expect(after.fromSocket - before.fromSocket).toBeGreaterThanOrEqual(80);
    if (process.platform === 'linux') {
      // and natively, a batch per wake-up (fastpath/native-udp-receive.ts)
      expect(afterDump.nativeReceive.sockets).toBeGreaterThan(0);
      const natively = afterDump.nativeReceive.datagrams - beforeDump.nativeReceive.datagrams;
      expect(natively).toBeGreaterThanOrEqual(80);
      expect(afterDump.nativeReceive).toMatchObject({ truncated: 0, errors: 0 });
      // and forwarded natively too (fastpath/native-udp-send.ts): the 80 packets to bob, at most
      // one call into C++ per receive wake-up
      const sentNatively = afterDump.nativeSend.datagrams - beforeDump.nativeSend.datagrams;
      expect(sentNatively).toBeGreaterThanOrEqual(80);
      expect(afterDump.nativeSend.calls - beforeDump.nativeSend.calls).toBeLessThanOrEqual(
        sentNatively,
      );
      expect(afterDump.nativeSend).toMatchObject({ dropped: 0 });
    }
    expect((await video.getStats()).rtpPacketsIn).toBe(warmup + 40);
    expect((await audio.getStats()).rtpPacketsIn).toBe(41);
  });

  it('NACKs a gap in the publisher’s video and reports it in receiver reports', async () => {
    const sender = videoSender();
    const nacked: number[] = [];
    sender.onGenericNack.subscribe((nack) => nacked.push(...nack.lost));
    const reports: RtcpReceiverInfo[] = [];
    sender.onRtcp.subscribe((packet) => {
      if (packet.type !== 201) return; // RFC 3550 §6.4.2 RR
      const rr = packet as unknown as { reports: RtcpReceiverInfo[] };
      reports.push(...rr.reports.filter((r) => r.ssrc === sender.ssrc));
    });

    const inBefore = (await video.getStats()).rtpPacketsIn;
    alice.publisher.sendVideo(5);
    await expect
      .poll(() => video.getStats().then((s) => s.rtpPacketsIn), { timeout: 10_000 })
      .toBe(inBefore + 5);
    const beforeGap = sender.sequenceNumber;
    // three sequence numbers never sent (lost on the way, as far as the SFU can tell)
    sender.seqOffset += 3;
    alice.publisher.sendVideo(5);
    const missing = [1, 2, 3].map((i) => (beforeGap + i) & 0xffff);
    await expect
      .poll(() => missing.every((seq) => nacked.includes(seq)), { timeout: 10_000 })
      .toBe(true);

    const last = sender.sequenceNumber;
    await expect
      .poll(() => reports.some((r) => (r.highestSequence & 0xffff) === last), { timeout: 8000 })
      .toBe(true);
    const report = reports.find((r) => (r.highestSequence & 0xffff) === last)!;
    expect(report.packetsLost).toBe(3);
  });

  it('sends transport-cc feedback that covers the packets of the direct path', async () => {
    const sender = videoSender();
    let covered = -1;
    sender.dtlsTransport.onRtcp.subscribe((packet) => {
      const fb = (
        packet as { feedback?: { baseSequenceNumber?: number; packetStatusCount?: number } }
      ).feedback;
      if (packet.type !== 205 || fb?.baseSequenceNumber === undefined) return;
      covered = (fb.baseSequenceNumber + fb.packetStatusCount! - 1) & 0xffff;
    });
    const before = (await worker.dump()).rtpReceivePath.direct;
    alice.publisher.sendVideo(20);
    const lastTransportSeq = sender.dtlsTransport.transportSequenceNumber;
    await expect.poll(() => covered, { timeout: 10_000 }).toBe(lastTransportSeq);
    expect((await worker.dump()).rtpReceivePath.direct - before).toBe(20);
  });
});
