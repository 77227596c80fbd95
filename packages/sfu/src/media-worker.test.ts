import { afterEach, describe, expect, it } from 'vitest';
import { MediaWorker } from './media-worker';
import { Participant } from './testing/participant';
import { waitFor } from './testing/fake-participant';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const workers: MediaWorker[] = [];
const participants: Participant[] = [];

const createWorker = async (): Promise<MediaWorker> => {
  const worker = await MediaWorker.create({
    iceServers: [],
    iceAdditionalHostAddresses: ['127.0.0.1'],
    keyframeRequestMinIntervalMs: 1000,
    subscriberKeyframeRequestMinIntervalMs: 3000,
  });
  workers.push(worker);
  return worker;
};

const participant = (options?: { audio?: boolean; video?: boolean }): Participant => {
  const p = new Participant(options);
  participants.push(p);
  return p;
};

/** Sends audio and video from `from` until `until()` holds. */
const pump = async (from: Participant, until: () => boolean, timeoutMs = 5000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!until()) {
    if (Date.now() > deadline) throw new Error('timed out pumping packets');
    from.publisher.sendAudio(2);
    from.publisher.sendVideo(2);
    await new Promise((r) => setTimeout(r, 20));
  }
};

afterEach(async () => {
  await Promise.all(participants.splice(0).map((p) => p.leave()));
  await Promise.all(workers.splice(0).map((w) => w.close()));
});

describe('MediaWorker', () => {
  it("a subscriber receives the publisher's packets", async () => {
    const worker = await createWorker();
    const router = await worker.createRouter();
    const alice = participant();
    const bob = participant();
    await alice.join(router);
    await bob.join(router);
    expect(alice.producers.map((p) => `${p.kind}:${p.mid}`).sort()).toEqual(['audio:0', 'video:1']);

    const consumers = await bob.consume(alice.producers);
    await pump(alice, () => consumers.every((c) => bob.subscriber.count(c.mid) > 5));

    for (const consumer of consumers) {
      expect((await consumer.getStats()).rtpPacketsOut).toBeGreaterThan(5);
    }
    const video = alice.producers.find((p) => p.kind === 'video')!;
    const stats = await video.getStats();
    expect(stats.rtpPacketsIn).toBeGreaterThan(5);
    expect(stats.pliSent).toBeGreaterThanOrEqual(1);
    await waitFor(() => alice.publisher.pliReceived >= 1, 3000, 'PLI at publisher');
    expect(bob.subscriber.gaps).toBe(0);
  });

  it('closing a router closes its transports and producers', async () => {
    const worker = await createWorker();
    const router = await worker.createRouter();
    const alice = participant();
    const bob = participant();
    await alice.join(router);
    await bob.join(router);
    const [consumer] = await bob.consume(alice.producers.slice(0, 1));
    const events: string[] = [];
    alice.pubTransport.on('routerclose', () => events.push('pub:routerclose'));
    bob.subTransport.on('routerclose', () => events.push('sub:routerclose'));
    alice.producers[0]!.on('transportclose', () => events.push('producer:transportclose'));
    consumer!.on('close', () => events.push('consumer:close'));
    router.on('close', () => events.push('router:close'));
    expect((await worker.dump()).peerConnections).toBe(4);

    router.close();
    router.close();

    expect(events).toEqual(
      expect.arrayContaining([
        'pub:routerclose',
        'sub:routerclose',
        'producer:transportclose',
        'consumer:close',
        'router:close',
      ]),
    );
    expect(events.filter((e) => e === 'consumer:close')).toHaveLength(1);
    expect(alice.pubTransport.closed && alice.producers.every((p) => p.closed)).toBe(true);
    await expect(alice.producers[0]!.pause()).rejects.toThrow(/closed/);
    await expect
      .poll(() => worker.dump(), { timeout: 5000 })
      .toMatchObject({ routers: 0, transports: 0, producers: 0, consumers: 0, peerConnections: 0 });
  });

  it('closing a producer closes its consumers and leaves the others flowing', async () => {
    const worker = await createWorker();
    const router = await worker.createRouter();
    const alice = participant();
    const bob = participant();
    await alice.join(router);
    await bob.join(router);
    const [audio, video] = await bob.consume(alice.producers);
    const events: string[] = [];
    audio!.on('producerclose', () => events.push('audio:producerclose'));
    video!.on('producerclose', () => events.push('video:producerclose'));

    const audioProducer = alice.producers.find((p) => p.kind === 'audio')!;
    expect(audio!.producerId).toBe(audioProducer.id);
    audioProducer.close();
    expect(events).toEqual(['audio:producerclose']);
    expect(bob.subTransport.consumers.size).toBe(1);

    await bob.renegotiate();
    const offerTransceiver = bob.subscriber.pc.getTransceivers().find((t) => t.mid === audio!.mid);
    expect(offerTransceiver?.currentDirection).toBe('inactive');
    const before = bob.subscriber.count(video!.mid);
    await pump(alice, () => bob.subscriber.count(video!.mid) > before + 5);
    expect(await worker.dump()).toMatchObject({ producers: 3, consumers: 1 });

    // a new consumer after the removal still works
    const carol = participant();
    await carol.join(router);
    const [carolVideo] = await bob.consume(carol.producers.filter((p) => p.kind === 'video'));
    await pump(carol, () => bob.subscriber.count(carolVideo!.mid) > 5);
  });

  it('a paused producer forwards nothing until resumed, without a sequence gap', async () => {
    const worker = await createWorker();
    const router = await worker.createRouter();
    const alice = participant({ audio: false });
    const bob = participant();
    await alice.join(router);
    await bob.join(router);
    expect(alice.producers).toHaveLength(1);
    const [video] = await bob.consume(alice.producers);
    await pump(alice, () => bob.subscriber.count(video!.mid) > 5);

    const producer = alice.producers[0]!;
    await producer.pause();
    expect(producer.paused).toBe(true);
    await sleep(100);
    const atPause = bob.subscriber.count(video!.mid);
    const inAtPause = (await producer.getStats()).rtpPacketsIn;
    alice.publisher.sendVideo(20);
    await sleep(300);
    expect((await producer.getStats()).rtpPacketsIn).toBeGreaterThan(inAtPause);
    expect(bob.subscriber.count(video!.mid)).toBe(atPause);

    await producer.resume();
    await pump(alice, () => bob.subscriber.count(video!.mid) > atPause + 5);
    expect(bob.subscriber.gaps).toBe(0);
  });

  it('a publisher that stops sending a track gets its producer closed', async () => {
    const worker = await createWorker();
    const router = await worker.createRouter();
    const alice = participant();
    await alice.join(router);
    const audio = alice.producers.find((p) => p.kind === 'audio')!;
    let remoteclose = 0;
    audio.on('remoteclose', () => remoteclose++);

    alice.publisher.audio.setDirection('inactive');
    const answer = await alice.pubTransport.handleOffer(await alice.publisher.createOffer());
    await alice.publisher.handleAnswer(answer);

    await waitFor(() => audio.closed, 2000, 'producer closed');
    expect(remoteclose).toBe(1);
    expect(alice.pubTransport.producers.size).toBe(1);
  });

  it('closing the worker closes its routers, which emit workerclose', async () => {
    const worker = await createWorker();
    const router = await worker.createRouter();
    const alice = participant();
    await alice.join(router);
    let workerclose = 0;
    router.on('workerclose', () => workerclose++);
    await worker.close();
    expect(workerclose).toBe(1);
    expect(router.closed && alice.pubTransport.closed).toBe(true);
    await expect(worker.createRouter()).rejects.toThrow(/closed/);
    await expect(worker.close()).resolves.toBeUndefined();
  });
});
