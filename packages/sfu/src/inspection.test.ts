import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AudioPayloadSample, VideoPayloadSample } from './channel/messages';
import { SfuError } from './errors';
import { MediaWorker } from './media-worker';
import { Participant } from './testing/participant';

/** A VP8 key frame's first packet: descriptor (RFC 7741 §4.2) + payload header (§4.3). */
const vp8Keyframe = (pictureId: number): { rtpPayload: Buffer; vp8: Buffer } => {
  // X = 1, S = 1, PID = 0 | I = 1 | M = 1 + 15-bit PictureID
  const descriptor = Buffer.from([0x90, 0x80, 0x80 | (pictureId >> 8), pictureId & 0xff]);
  const vp8 = Buffer.concat([
    // frame tag: P = 0 (key frame), show_frame = 1; then start code 9d 01 2a; 640x480
    Buffer.from([0x10, 0x40, 0x01, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0xe0, 0x01]),
    Buffer.alloc(900, 0x33),
  ]);
  return { rtpPayload: Buffer.concat([descriptor, vp8]), vp8 };
};
/** A continuation packet of the same frame (S = 0): not a frame start. */
const vp8Continuation = Buffer.concat([
  Buffer.from([0x80, 0x80, 0x80, 0x01]),
  Buffer.alloc(900, 0x44),
]);
/** A delta frame's first packet (P = 1), short descriptor. */
const vp8Delta = Buffer.concat([Buffer.from([0x10, 0x31, 0x02, 0x00]), Buffer.alloc(300, 0x55)]);
/** An Opus packet (TOC 0x78: SILK-only WB 20 ms, mono) with a counter in byte 1. */
const opus = (n: number): Buffer =>
  Buffer.concat([Buffer.from([0x78, n & 0xff]), Buffer.alloc(80, 0x66)]);

const participants: Participant[] = [];
afterEach(async () => {
  await Promise.all(participants.splice(0).map((p) => p.leave()));
});

const publisher = async (worker: MediaWorker): Promise<Participant> => {
  const router = await worker.createRouter();
  const alice = new Participant();
  participants.push(alice);
  await alice.join(router);
  return alice;
};

describe('payload inspection enabled', () => {
  let worker: MediaWorker;
  beforeAll(async () => {
    worker = await MediaWorker.create({
      iceAdditionalHostAddresses: ['127.0.0.1'],
      inspection: true,
    });
  });
  afterAll(async () => {
    await worker.close();
  });

  it('VP8: records frame starts with the key frame bit and the start code visible', async () => {
    const alice = await publisher(worker);
    const producer = alice.producers.find((p) => p.kind === 'video')!;
    const key = vp8Keyframe(0x1234);
    for (let i = 0; i < 3; i++) {
      alice.publisher.sendVideoPayload(key.rtpPayload);
      alice.publisher.sendVideoPayload(vp8Continuation);
      alice.publisher.sendVideoPayload(vp8Delta);
    }
    await expect
      .poll(async () => (await producer.getStats()).rtpPacketsIn, { timeout: 5000 })
      .toBe(9);
    const samples = (await producer.inspectPayloads()) as VideoPayloadSample[];
    // continuation packets are not frame starts: 3 key frames + 3 delta frames
    expect(samples).toHaveLength(6);
    expect(samples.every((s) => s.kind === 'video' && s.frameStart)).toBe(true);
    const keyframes = samples.filter((s) => s.keyframeBit);
    expect(keyframes).toHaveLength(3);
    for (const sample of keyframes) {
      const headBytes = Buffer.from(sample.payloadHead, 'base64');
      expect(headBytes).toEqual(key.vp8.subarray(0, 48));
      expect(headBytes.subarray(3, 6).toString('hex')).toBe('9d012a');
      expect(sample.payloadLength).toBe(key.vp8.length);
    }
    const delta = samples.find((s) => !s.keyframeBit)!;
    expect(delta.payloadLength).toBe(vp8Delta.length - 1); // one-byte descriptor
    expect(Buffer.from(delta.payloadHead, 'base64')[0]! & 0x01).toBe(1);
    // audio producer saw nothing yet
    expect(await alice.producers.find((p) => p.kind === 'audio')!.inspectPayloads()).toEqual([]);
  });

  it('Opus: records every packet, and the buffer never holds more than 64 samples', async () => {
    const alice = await publisher(worker);
    const producer = alice.producers.find((p) => p.kind === 'audio')!;
    const sent = 150;
    for (let n = 0; n < sent; n++) {
      alice.publisher.sendAudioPayload(opus(n));
      if (n % 10 === 9) {
        await new Promise((r) => setTimeout(r, 10));
        expect((await producer.inspectPayloads()).length).toBeLessThanOrEqual(64);
      }
    }
    await expect
      .poll(async () => (await producer.getStats()).rtpPacketsIn, { timeout: 5000 })
      .toBe(sent);
    const samples = (await producer.inspectPayloads()) as AudioPayloadSample[];
    expect(samples).toHaveLength(64);
    for (const sample of samples) {
      expect(sample.kind).toBe('audio');
      expect(sample.payloadLength).toBe(82);
      expect(Buffer.from(sample.payloadHead, 'base64')).toHaveLength(48);
    }
    // the most recent 64, oldest first (loopback UDP keeps order)
    const counters = samples.map((s) => Buffer.from(s.payloadHead, 'base64')[1]);
    expect(counters).toEqual(Array.from({ length: 64 }, (_, k) => sent - 64 + k));
    expect(Buffer.from(samples[63]!.payloadHead, 'base64')).toEqual(opus(sent - 1).subarray(0, 48));
  });
});

describe('payload inspection disabled (default)', () => {
  it('inspectPayloads() rejects with SFU_ERR_INSPECTION_DISABLED', async () => {
    const worker = await MediaWorker.create({ iceAdditionalHostAddresses: ['127.0.0.1'] });
    try {
      const alice = await publisher(worker);
      alice.publisher.sendVideoPayload(vp8Keyframe(1).rtpPayload);
      alice.publisher.sendAudioPayload(opus(1));
      for (const producer of alice.producers) {
        const err = await producer.inspectPayloads().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(SfuError);
        expect(err).toMatchObject({ code: 'SFU_ERR_INSPECTION_DISABLED', status: 403 });
      }
    } finally {
      await Promise.all(participants.splice(0).map((p) => p.leave()));
      await worker.close();
    }
  });
});
