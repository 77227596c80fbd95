import { afterEach, describe, expect, it } from 'vitest';
import type { VideoPayloadSample } from './channel/messages';
import { MediaWorker } from './media-worker';
import type { Producer } from './producer';
import { waitFor } from './testing/fake-participant';
import { Participant } from './testing/participant';

/**
 * A publisher's RTX stream (RFC 4588) carries more than repairs: libwebrtc pads its bandwidth
 * probes with recent packets resent on RTX, often one frame's first packet many times. End to end
 * (werift publisher and subscriber over loopback through a real worker thread, the publisher's
 * RTX stream signalled with `a=ssrc-group:FID` as a browser's single-layer camera does), each
 * original sequence number reaches subscribers, and the payload inspector, once.
 */
let worker: MediaWorker | undefined;
const participants: Participant[] = [];

afterEach(async () => {
  await Promise.all(participants.splice(0).map((p) => p.leave()));
  await worker?.close();
  worker = undefined;
});

/** A VP8 frame's first packet (descriptor S = 1, RFC 7741 §4.2) numbered `n` in octets 2-3. */
const frame = (n: number): Buffer => {
  const payload = Buffer.alloc(600, n & 0xff);
  payload[0] = 0x10;
  payload[1] = 0x00;
  payload.writeUInt16BE(n, 2);
  return payload;
};
/** The number of a `frame` payload as received. */
const numberOf = (payload: Buffer): number => payload.readUInt16BE(2);
/** The number of a frame start the inspector recorded (its VP8 data, after the descriptor). */
const sampledNumber = (s: VideoPayloadSample): number =>
  Buffer.from(s.payloadHead, 'base64').readUInt16BE(1);

const counts = (numbers: number[]): Map<number, number> => {
  const n = new Map<number, number>();
  for (const x of numbers) n.set(x, (n.get(x) ?? 0) + 1);
  return n;
};

/** Alice publishes video with RTX (inspected), Bob subscribes and keeps what he receives. */
const meeting = async () => {
  worker = await MediaWorker.create({
    iceAdditionalHostAddresses: ['127.0.0.1'],
    inspection: true,
  });
  const router = await worker.createRouter();
  const alice = new Participant({ audio: false, publisherRtx: true });
  // Bob takes RTX, so the SFU's answers to his NACKs (a repair forwarded late leaves him a gap
  // for a while) are not taken for forwarded copies
  const bob = new Participant({ audio: false, video: false, rtx: true });
  participants.push(alice, bob);
  await alice.join(router);
  await bob.join(router);
  // the publisher's RTX SSRC is signalled, and the SFU's answer keeps rtx
  expect(alice.publisher.pc.localDescription!.sdp).toMatch(/^a=ssrc-group:FID \d+ \d+\r?$/m);
  expect(alice.publisher.pc.remoteDescription!.sdp).toMatch(/^a=rtpmap:97 rtx\/90000\r?$/m);
  const producer = alice.producers.find((p) => p.kind === 'video')!;
  const [consumer] = await bob.consume([producer]);
  bob.subscriber.recordPayloads();
  let warmUp = 0;
  await waitFor(
    () => {
      alice.publisher.sendVideoPayload(frame(warmUp++));
      return bob.subscriber.count(consumer!.mid) > 0;
    },
    5000,
    'first video',
  );
  /** Sends frames `from` .. `to` - 1, 5 ms apart; returns their sequence numbers by number. */
  const send = async (from: number, to: number): Promise<Map<number, number>> => {
    const seqs = new Map<number, number>();
    for (let n = from; n < to; n++) {
      seqs.set(n, alice.publisher.sendVideoPayload(frame(n)));
      await new Promise((r) => setTimeout(r, 5));
    }
    return seqs;
  };
  /** Waits until Bob received frame `n` (UDP on loopback keeps order: all before it are in). */
  const received = async (n: number): Promise<void> => {
    await waitFor(
      () => bob.subscriber.payloads.some((p) => numberOf(p) === n),
      5000,
      `frame ${n} at Bob`,
    );
    await new Promise((r) => setTimeout(r, 100));
  };
  return { alice, bob, producer, send, received };
};

const inspectedNumbers = async (producer: Producer): Promise<number[]> =>
  ((await producer.inspectPayloads()) as VideoPayloadSample[]).map(sampledNumber);

describe("a publisher's RTX copies of packets that arrived", () => {
  it('a frame start resent 12 times on RTX (probe padding) is forwarded and inspected once', async () => {
    const { alice, bob, producer, send, received } = await meeting();
    const seqs = await send(1000, 1010);
    await received(1009);
    const statsBefore = await producer.getStats();
    for (let i = 0; i < 12; i++) {
      alice.publisher.resendVideo(seqs.get(1005)!);
      await new Promise((r) => setTimeout(r, 5));
    }
    await send(1010, 1015);
    await received(1014);

    const atBob = counts(bob.subscriber.payloads.map(numberOf));
    expect(atBob.get(1005), 'copies of frame 1005 Bob received').toBe(1);
    for (let n = 1000; n < 1015; n++) expect(atBob.get(n), `frame ${n} at Bob`).toBe(1);
    const inspected = counts(await inspectedNumbers(producer));
    expect(inspected.get(1005), 'samples of frame 1005').toBe(1);
    for (let n = 1000; n < 1015; n++) expect(inspected.get(n), `frame ${n} inspected`).toBe(1);
    // the copies are counted as RTX that repaired nothing, not taken for media
    const stats = await producer.getStats();
    const [layer, layerBefore] = [stats.layers[0]!, statsBefore.layers[0]!];
    expect(stats.rtpPacketsIn - statsBefore.rtpPacketsIn).toBe(5);
    expect(layer.rtxPacketsIn - layerBefore.rtxPacketsIn, 'RTX packets in').toBe(12);
    expect(layer.repairedPacketsIn - layerBefore.repairedPacketsIn, 'repairs').toBe(0);
  });

  it('a packet lost on the uplink is repaired from RTX once, and its later copies are dropped', async () => {
    const { alice, bob, producer, send, received } = await meeting();
    await send(2000, 2005);
    alice.publisher.loseNextVideo();
    const seqs = await send(2005, 2020);
    // the SFU NACKs the gap (RFC 4585 §6.2.1) and the publisher repairs it on its RTX stream
    await received(2005);
    await waitFor(
      () => bob.subscriber.payloads.some((p) => numberOf(p) === 2019),
      5000,
      'frame 2019 at Bob',
    );
    for (let i = 0; i < 3; i++) alice.publisher.resendVideo(seqs.get(2005)!);
    await send(2020, 2025);
    await received(2024);

    const atBob = counts(bob.subscriber.payloads.map(numberOf));
    for (let n = 2000; n < 2025; n++) expect(atBob.get(n), `frame ${n} at Bob`).toBe(1);
    const inspected = counts(await inspectedNumbers(producer));
    for (let n = 2000; n < 2025; n++) expect(inspected.get(n), `frame ${n} inspected`).toBe(1);
    // one repair; the copies after it (and any second answer to a NACK) repaired nothing
    const layer = (await producer.getStats()).layers[0]!;
    expect(layer.repairedPacketsIn, 'repairs').toBe(1);
    expect(layer.rtxPacketsIn, 'RTX packets in').toBeGreaterThanOrEqual(4);
  });
});
