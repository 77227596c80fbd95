import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaWorker } from './media-worker';
import { Participant } from './testing/participant';

/**
 * What reaches the SFU over UDP goes through the worker's own SRTP receive path
 * (worker/fastpath/inbound.ts): a datagram an attacker on the path replays or alters is dropped
 * and counted, and nothing of it reaches the producer or its consumers.
 */
let worker: MediaWorker;
let alice: Participant;
beforeAll(async () => {
  worker = await MediaWorker.create({ iceAdditionalHostAddresses: ['127.0.0.1'] });
  alice = new Participant({ video: false });
  await alice.join(await worker.createRouter());
});
afterAll(async () => {
  await alice.leave();
  await worker.close();
});

interface WireConnection {
  send(data: Buffer): Promise<void>;
}

interface Wiretap {
  /** Every datagram the publisher sent, as it meant to send it. */
  sent: Buffer[];
  /** Sends a datagram from the publisher's socket. */
  inject: (datagram: Buffer) => void;
  /** Alters the next datagram the publisher sends (on the path, after encryption). */
  tamperNext?: ((datagram: Buffer) => void) | undefined;
}

/** The publisher's ICE connection, with every datagram it sends recorded. */
const wiretap = (participant: Participant): Wiretap => {
  const dtls = participant.publisher.audio.sender.dtlsTransport as unknown as {
    iceTransport: { connection: WireConnection };
  };
  const connection = dtls.iceTransport.connection;
  const send = connection.send.bind(connection);
  const tap: Wiretap = { sent: [], inject: (d) => void send(d) };
  connection.send = (data: Buffer) => {
    tap.sent.push(Buffer.from(data));
    const tamper = tap.tamperNext;
    tap.tamperNext = undefined;
    if (!tamper) return send(data);
    const altered = Buffer.from(data);
    tamper(altered);
    return send(altered);
  };
  return tap;
};

const opus = (n: number): Buffer => Buffer.concat([Buffer.from([0x78, n]), Buffer.alloc(40, 1)]);

const isRtp = (d: Buffer): boolean =>
  d[0]! >= 128 && d[0]! <= 191 && !(d[1]! >= 192 && d[1]! <= 223);
const isRtcp = (d: Buffer): boolean => d[0]! >= 128 && d[0]! <= 191 && d[1]! >= 192 && d[1]! <= 223;

describe('SRTP receive path', () => {
  it('drops a replayed and a tampered packet, counts them, and forwards neither', async () => {
    const producer = alice.producers.find((p) => p.kind === 'audio')!;
    const tap = await producer.createTap();
    const payloads: number[] = [];
    tap.on('rtp', (packet) => payloads.push(packet.payload[1]!));
    const wire = wiretap(alice);
    const before = (await worker.dump()).srtpDrops;

    for (let n = 0; n < 5; n++) alice.publisher.sendAudioPayload(opus(n));
    await expect.poll(() => payloads.length, { timeout: 5000 }).toBe(5);
    const rtp = wire.sent.filter(isRtp);
    expect(rtp).toHaveLength(5);

    // the same datagram again (an attacker replaying captured media)
    wire.inject(rtp[2]!);
    // on the path, one bit of the encrypted payload flipped; then one of the RTP timestamp
    wire.tamperNext = (d) => {
      d[20] = d[20]! ^ 0x01;
    };
    alice.publisher.sendAudioPayload(opus(5));
    await expect
      .poll(async () => (await worker.dump()).srtpDrops.authFailed, { timeout: 5000 })
      .toBe(before.authFailed + 1);
    wire.tamperNext = (d) => {
      d[7] = d[7]! ^ 0x80;
    };
    alice.publisher.sendAudioPayload(opus(6));
    await expect
      .poll(async () => (await worker.dump()).srtpDrops, { timeout: 5000 })
      .toMatchObject({ replayed: before.replayed + 1, authFailed: before.authFailed + 2 });
    expect(payloads).toEqual([0, 1, 2, 3, 4]);

    // the genuine packets 5 and 6 still get through: forgeries did not poison the replay list
    const genuine = wire.sent.filter(isRtp);
    wire.inject(genuine[5]!);
    wire.inject(genuine[6]!);
    await expect.poll(() => payloads.length, { timeout: 5000 }).toBe(7);
    expect(payloads).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect((await producer.getStats()).rtpPacketsIn).toBe(7);
    tap.close();
  });

  it('drops a replayed SRTCP packet', async () => {
    const wire = wiretap(alice);
    alice.publisher.sendAudio(3);
    // werift's sender reports go out every second or so once media flows
    await expect.poll(() => wire.sent.filter(isRtcp).length, { timeout: 8000 }).toBeGreaterThan(0);
    const before = (await worker.dump()).srtpDrops;
    wire.inject(wire.sent.find(isRtcp)!);
    await expect
      .poll(async () => (await worker.dump()).srtpDrops.replayed, { timeout: 5000 })
      .toBe(before.replayed + 1);
  });
});
