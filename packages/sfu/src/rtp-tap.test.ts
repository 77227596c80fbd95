import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TapPacket } from './channel/messages';
import { InvalidStateError } from './errors';
import { MediaWorker } from './media-worker';
import { Participant } from './testing/participant';

/** An Opus-looking payload with a counter in byte 1. */
const opus = (n: number): Buffer =>
  Buffer.concat([Buffer.from([0x78, n & 0xff]), Buffer.alloc(60, 7)]);

let worker: MediaWorker;
const participants: Participant[] = [];
beforeAll(async () => {
  worker = await MediaWorker.create({ iceAdditionalHostAddresses: ['127.0.0.1'] });
});
afterEach(async () => {
  await Promise.all(participants.splice(0).map((p) => p.leave()));
});
afterAll(async () => {
  await worker.close();
});

const publisher = async (): Promise<Participant> => {
  const alice = new Participant();
  participants.push(alice);
  await alice.join(await worker.createRouter());
  return alice;
};

describe('RtpTap', () => {
  it('delivers every received payload, in order, with sequence numbers and timestamps', async () => {
    const alice = await publisher();
    const producer = alice.producers.find((p) => p.kind === 'audio')!;
    const tap = await producer.createTap();
    const seen: TapPacket[] = [];
    tap.on('rtp', (packet) => seen.push(packet));
    for (let n = 0; n < 20; n++) alice.publisher.sendAudioPayload(opus(n));
    await expect.poll(() => seen.length, { timeout: 5000 }).toBe(20);
    expect(seen.map((p) => p.payload[1])).toEqual(Array.from({ length: 20 }, (_, n) => n));
    expect(Buffer.from(seen[3]!.payload)).toEqual(opus(3));
    for (let i = 1; i < seen.length; i++) {
      expect((seen[i]!.sequenceNumber - seen[i - 1]!.sequenceNumber) & 0xffff).toBe(1);
      expect(seen[i]!.timestamp).not.toBe(seen[i - 1]!.timestamp);
    }
    expect((await worker.dump()).taps).toBe(1);
    tap.close();
    await expect.poll(async () => (await worker.dump()).taps).toBe(0);
  });

  it('delivers nothing while the producer is paused (a muted microphone is not transcribed)', async () => {
    const alice = await publisher();
    const producer = alice.producers.find((p) => p.kind === 'audio')!;
    const tap = await producer.createTap();
    let count = 0;
    tap.on('rtp', () => count++);
    await producer.pause();
    for (let n = 0; n < 10; n++) alice.publisher.sendAudioPayload(opus(n));
    await expect.poll(async () => (await producer.getStats()).rtpPacketsIn).toBe(10);
    expect(count).toBe(0);
    await producer.resume();
    alice.publisher.sendAudioPayload(opus(99));
    await expect.poll(() => count).toBe(1);
  });

  it('closes with its producer, and a closed producer cannot be tapped', async () => {
    const alice = await publisher();
    const producer = alice.producers.find((p) => p.kind === 'audio')!;
    const tap = await producer.createTap();
    let closes = 0;
    tap.on('close', () => closes++);
    producer.close();
    expect(tap.closed).toBe(true);
    expect(closes).toBe(1);
    tap.close(); // idempotent
    expect(closes).toBe(1);
    await expect(producer.createTap()).rejects.toBeInstanceOf(InvalidStateError);
    await expect.poll(async () => (await worker.dump()).taps).toBe(0);
  });
});
