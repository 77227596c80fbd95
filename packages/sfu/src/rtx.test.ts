import { afterEach, describe, expect, it } from 'vitest';
import { MediaWorker } from './media-worker';
import { waitFor, type RtxArrival } from './testing/fake-participant';
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

/** A VP8 payload (descriptor without PictureID: forwarded unchanged) numbered `n`. */
const NUMBERED_LENGTH = 1000;
const numbered = (n: number): Buffer => {
  const payload = Buffer.alloc(NUMBERED_LENGTH, n & 0xff);
  payload[0] = 0x10;
  payload[1] = 0x00;
  payload.writeUInt16BE(n & 0xffff, 2);
  return payload;
};

/**
 * Alice publishes video, Bob subscribes; Bob's downlink loses every 10th video packet. Alice's
 * packets are numbered (`numbered`), so a repair shows which packet's payload it carries.
 */
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
  for (let i = 0; i < 300; i++) {
    alice.publisher.sendVideoPayload(numbered(i));
    await new Promise((r) => setTimeout(r, 10)); // 100 packets/s: repairs fit the pacing (15 % of 1 Mbit/s)
  }
  const offer = bob.subscriber.pc.remoteDescription!.sdp;
  return { alice, bob, offer };
};

/**
 * Waits until at least half of the dropped packets are repaired: werift's receiver stops asking
 * after 10 NACKs 5 ms apart, and the SFU paces retransmissions (15 % of a 1 Mbit/s default
 * estimate: this subscriber sends no transport-cc feedback), so on a loaded machine a NACK burst
 * may outlast a repair. Which ones come back, and how, is what the tests check.
 */
const mostRepaired = (dropped: { sequenceNumber: number }[], repaired: () => Set<number>) =>
  waitFor(
    () =>
      dropped.length >= 25 &&
      dropped.filter((d) => repaired().has(d.sequenceNumber)).length >= 0.5 * dropped.length,
    10_000,
    'lost packets repaired',
  );

describe('retransmissions to subscribers', () => {
  it('with RTX negotiated, lost packets come back on the RTX SSRC with OSN = the lost sequence number', async () => {
    const { bob, offer } = await lossyMeeting(true);
    // RFC 4588 §8.6 in the SFU's offer
    expect(offer).toMatch(/^a=rtpmap:97 rtx\/90000\r?$/m);
    expect(offer).toMatch(/^a=fmtp:97 apt=96\r?$/m);
    const fid = /^a=ssrc-group:FID (\d+) (\d+)\r?$/m.exec(offer);
    expect(fid).not.toBeNull();
    const [mediaSsrc, rtxSsrc] = [Number(fid![1]), Number(fid![2])];
    const s = bob.subscriber;
    // werift's receiver NACKs each gap, and unwraps what comes back on the RTX SSRC
    await mostRepaired(s.dropped, () => new Set(s.rtxArrivals.map((a) => a.osn)));
    expect(s.dropped.every((d) => d.ssrc === mediaSsrc)).toBe(true);
    const lost = new Set(s.dropped.map((d) => d.sequenceNumber));
    expect(s.rtxArrivals.length).toBeGreaterThan(0);
    for (const a of s.rtxArrivals) {
      expect(a.ssrc).toBe(rtxSsrc);
      expect(a.payloadType).toBe(97);
      expect(lost.has(a.osn), `OSN ${a.osn} is a lost sequence number`).toBe(true);
    }
    // each repair carries the payload first sent under its OSN: the SFU's received packets are
    // views of its receive slab, overwritten by later datagrams (fastpath/inbound.ts), and what
    // its NACK history keeps is its own copy. Alice's numbers run in step with Bob's sequence
    // numbers, so OSN - number is one offset for all repairs.
    // A repair of a packet sent before the numbered ones (still in flight when the loss began,
    // on a loaded machine) carries the stream's first payload, which is longer: left out.
    const number = (a: RtxArrival): number => a.payload.readUInt16BE(2);
    const ofNumbered = s.rtxArrivals.filter((a) => a.payload.length === NUMBERED_LENGTH);
    expect(ofNumbered.length).toBeGreaterThanOrEqual(s.rtxArrivals.length / 2);
    const offsets = new Set(ofNumbered.map((a) => (a.osn - number(a) + 0x10000) & 0xffff));
    expect(offsets.size, 'every repair carries its own packet').toBe(1);
    for (const a of ofNumbered) expect(a.payload.equals(numbered(number(a)))).toBe(true);
    // the RTX stream's own sequence numbers (a fresh SRTP index for each)
    const rtxSeqs = s.rtxArrivals.map((a) => a.sequenceNumber);
    expect(new Set(rtxSeqs).size).toBe(rtxSeqs.length);
    expect(ivReuses(s.wire)).toEqual([]);
    const stats = await bob.subTransport.getStats();
    expect(stats.retransmissions).toBeGreaterThanOrEqual(s.rtxArrivals.length);
  });

  it('without RTX (the subscriber answered without it), the lost packet is resent byte for byte', async () => {
    const { bob, offer } = await lossyMeeting(false);
    const s = bob.subscriber;
    /** Sequence numbers of the media SSRC seen twice or more on the wire. */
    const resent = (): Set<number> => {
      const n = new Map<number, number>();
      for (const p of s.wire) n.set(p.readUInt16BE(2), (n.get(p.readUInt16BE(2)) ?? 0) + 1);
      return new Set([...n].filter(([, c]) => c >= 2).map(([seq]) => seq));
    };
    await mostRepaired(s.dropped, resent);
    expect(s.rtxArrivals).toEqual([]);
    // every copy of a resent packet is the packet first sent
    expect(ivReuses(s.wire)).toEqual([]);
    expect(offer).toMatch(/^a=ssrc-group:FID /m); // offered, declined in the answer
    expect(bob.subscriber.pc.localDescription!.sdp).not.toMatch(/rtx\/90000/);
  });
});
