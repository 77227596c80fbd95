import { afterEach, describe, expect, it } from 'vitest';
import { MediaWorker } from './media-worker';
import { waitFor } from './testing/fake-participant';
import { Participant } from './testing/participant';

/**
 * NACK answers to a subscriber end to end (werift subscribers over loopback through a real worker
 * thread): on an RTX stream when the subscriber negotiated it (RFC 4588), byte-identical
 * otherwise; in both cases no SRTP index reaches the wire twice with different bytes (an
 * AES-GCM IV used twice, RFC 7714 §14).
 */
let worker: MediaWorker | undefined;
const participants: Participant[] = [];

afterEach(async () => {
  await Promise.all(participants.splice(0).map((p) => p.leave()));
  await worker?.close();
});

/** Indexes (SSRC:SEQ; the tests stay within one rollover) seen twice with different bytes. */
const ivReuses = (wire: Buffer[]): string[] => {
  const byIndex = new Map<string, Buffer>();
  const reused: string[] = [];
  for (const packet of wire) {
    const index = `${packet.readUInt32BE(8)}:${packet.readUInt16BE(2)}`;
    const seen = byIndex.get(index);
    if (seen && !seen.equals(packet)) reused.push(index);
    byIndex.set(index, packet);
  }
  return reused;
};

/** Alice publishes video, Bob subscribes; Bob's downlink loses every 10th video packet. */
const lossyMeeting = async (rtx: boolean) => {
  worker = await MediaWorker.create({ iceAdditionalHostAddresses: ['127.0.0.1'] });
  const router = await worker.createRouter();
  const alice = new Participant({ audio: false });
  const bob = new Participant({ audio: false, video: false, rtx });
  participants.push(alice, bob);
  await alice.join(router);
  await bob.join(router);
  const [consumer] = await bob.consume(alice.producers);
  const mid = consumer!.mid;
  bob.subscriber.recordWire();
  await waitFor(
    () => {
      alice.publisher.sendVideo(1);
      return bob.subscriber.count(mid) > 0;
    },
    5000,
    'first video',
  );
  bob.subscriber.loseEvery(10);
  const base = bob.subscriber.count(mid);
  for (let i = 0; i < 300; i++) {
    alice.publisher.sendVideo(1);
    await new Promise((r) => setTimeout(r, 10)); // 100 packets/s: repairs fit the pacing (15 % of 1 Mbit/s)
  }
  const offer = bob.subscriber.pc.remoteDescription!.sdp;
  return { alice, bob, mid, base, offer };
};

describe('retransmissions to subscribers', () => {
  it('with RTX negotiated, lost packets come back on the RTX SSRC with OSN = the lost sequence number, and every one is repaired', async () => {
    const { bob, mid, base, offer } = await lossyMeeting(true);
    // RFC 4588 §8.6 in the SFU's offer
    expect(offer).toMatch(/^a=rtpmap:97 rtx\/90000\r?$/m);
    expect(offer).toMatch(/^a=fmtp:97 apt=96\r?$/m);
    const fid = /^a=ssrc-group:FID (\d+) (\d+)\r?$/m.exec(offer);
    expect(fid).not.toBeNull();
    const [mediaSsrc, rtxSsrc] = [Number(fid![1]), Number(fid![2])];
    const s = bob.subscriber;
    // werift's receiver NACKs each gap; all 300 arrive, the dropped ones through RTX
    await waitFor(() => s.count(mid) - base >= 300, 5000, 'repaired stream');
    expect(s.dropped.length).toBeGreaterThanOrEqual(25);
    expect(s.dropped.every((d) => d.ssrc === mediaSsrc)).toBe(true);
    const osns = new Set(s.rtxArrivals.map((a) => a.osn));
    for (const d of s.dropped) expect(osns.has(d.sequenceNumber)).toBe(true);
    expect(s.rtxArrivals.every((a) => a.ssrc === rtxSsrc && a.payloadType === 97)).toBe(true);
    // the RTX stream's own sequence numbers (a fresh SRTP index for each)
    const rtxSeqs = s.rtxArrivals.map((a) => a.sequenceNumber);
    expect(new Set(rtxSeqs).size).toBe(rtxSeqs.length);
    expect(ivReuses(s.wire)).toEqual([]);
    const stats = await bob.subTransport.getStats();
    expect(stats.retransmissions).toBeGreaterThanOrEqual(s.dropped.length);
  });

  it('without RTX (the subscriber answered without it), the lost packet is resent byte for byte', async () => {
    const { bob, mid, base, offer } = await lossyMeeting(false);
    const s = bob.subscriber;
    await waitFor(() => s.count(mid) - base >= 300, 5000, 'repaired stream');
    expect(s.dropped.length).toBeGreaterThanOrEqual(25);
    expect(s.rtxArrivals).toEqual([]);
    // every dropped packet was sent again (and ivReuses: identical to its first copy)
    const copies = (): Map<string, number> => {
      const n = new Map<string, number>();
      for (const p of s.wire) {
        const key = `${p.readUInt32BE(8)}:${p.readUInt16BE(2)}`;
        n.set(key, (n.get(key) ?? 0) + 1);
      }
      return n;
    };
    await waitFor(
      () => {
        const n = copies();
        return s.dropped.every((d) => (n.get(`${d.ssrc}:${d.sequenceNumber}`) ?? 0) >= 2);
      },
      5000,
      'every lost packet resent',
    );
    expect(ivReuses(s.wire)).toEqual([]);
    expect(offer).toMatch(/^a=ssrc-group:FID /m); // offered, declined in the answer
    expect(bob.subscriber.pc.localDescription!.sdp).not.toMatch(/rtx\/90000/);
  });
});
