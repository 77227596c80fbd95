import { afterEach, expect, it } from 'vitest';
import { MediaWorker } from './media-worker';
import type { Producer } from './producer';
import { waitFor } from './testing/fake-participant';
import { Participant } from './testing/participant';

const INTERVAL_MS = 400;
const SUBSCRIBER_INTERVAL_MS = 900;
let worker: MediaWorker | undefined;
const participants: Participant[] = [];

afterEach(async () => {
  await Promise.all(participants.splice(0).map((p) => p.leave()));
  await worker?.close();
});

it('a receiver spamming keyframe requests reaches the publisher twice at once, then at most once per subscriber interval', async () => {
  worker = await MediaWorker.create({
    iceAdditionalHostAddresses: ['127.0.0.1'],
    keyframeRequestMinIntervalMs: INTERVAL_MS,
    subscriberKeyframeRequestMinIntervalMs: SUBSCRIBER_INTERVAL_MS,
  });
  const router = await worker.createRouter();
  const alice = new Participant({ audio: false });
  const bob = new Participant({ audio: false, video: false });
  participants.push(alice, bob);
  await alice.join(router);
  await bob.join(router);
  const [consumer] = await bob.consume(alice.producers);
  const producer = alice.producers[0]!;
  const deadline = Date.now() + 5000;
  while (bob.subscriber.count(consumer!.mid) === 0 && Date.now() < deadline) {
    alice.publisher.sendVideo(1);
    await new Promise((r) => setTimeout(r, 20));
  }
  // let the joining keyframe requests settle
  await new Promise((r) => setTimeout(r, INTERVAL_MS * 2));
  const before = await producer.getStats();
  const pliAtPublisherBefore = alice.publisher.pliReceived;

  // A receiver that cannot decode: 100 PLIs over ~2 s, while key frames keep arriving (the fake
  // publisher's packets are all key frames), so none is absorbed as "one is on its way".
  alice.publisher.start({ audioPps: 0, videoPps: 50 });
  const spamMs = 2000;
  const start = performance.now();
  for (let i = 0; i < 100; i++) {
    await bob.subscriber.sendPli(consumer!.mid);
    await new Promise((r) => setTimeout(r, spamMs / 100));
  }
  const elapsed = performance.now() - start;
  await new Promise((r) => setTimeout(r, SUBSCRIBER_INTERVAL_MS * 1.5)); // the trailing PLI
  alice.publisher.stop();

  const after = await producer.getStats();
  const sent = after.pliSent - before.pliSent;
  // one subscriber's PLIs pass its own limiter (two at once, then one per interval), then the
  // producer's (whichever is slower)
  const allowed = Math.ceil(elapsed / SUBSCRIBER_INTERVAL_MS) + 2;
  // PLIs over loopback UDP: nearly all arrive
  expect((await consumer!.getStats()).pliReceived).toBeGreaterThanOrEqual(95);
  expect(sent).toBeGreaterThanOrEqual(Math.floor(elapsed / SUBSCRIBER_INTERVAL_MS) - 1);
  expect(sent).toBeLessThanOrEqual(allowed);
  await waitFor(() => alice.publisher.pliReceived - pliAtPublisherBefore >= sent - 1, 2000, 'PLIs');
  expect(alice.publisher.pliReceived - pliAtPublisherBefore).toBeLessThanOrEqual(allowed);
});

it('requestKeyFrame on a consumer during the cooldown schedules exactly one PLI at its end', async () => {
  worker = await MediaWorker.create({
    iceAdditionalHostAddresses: ['127.0.0.1'],
    keyframeRequestMinIntervalMs: INTERVAL_MS,
  });
  const router = await worker.createRouter();
  const alice = new Participant({ audio: false });
  const bob = new Participant({ audio: false, video: false });
  participants.push(alice, bob);
  await alice.join(router);
  await bob.join(router);
  const [consumer] = await bob.consume(alice.producers);
  const producer = alice.producers[0]!;
  await new Promise((r) => setTimeout(r, INTERVAL_MS * 2.5));
  const base = (await producer.getStats()).pliSent;

  await consumer!.requestKeyFrame(); // idle limiter: immediate
  expect((await producer.getStats()).pliSent).toBe(base + 1);
  await consumer!.requestKeyFrame(); // cooldown: scheduled
  await consumer!.requestKeyFrame(); // absorbed
  await consumer!.requestKeyFrame(); // absorbed
  expect((await producer.getStats()).pliSent).toBe(base + 1);
  await new Promise((r) => setTimeout(r, INTERVAL_MS * 1.5));
  const stats = await producer.getStats();
  expect(stats.pliSent).toBe(base + 2);
});

it('pliSent counts only PLIs that reach the wire (none before the publisher connects)', async () => {
  worker = await MediaWorker.create({
    iceAdditionalHostAddresses: ['127.0.0.1'],
    keyframeRequestMinIntervalMs: INTERVAL_MS,
  });
  const router = await worker.createRouter();
  const alice = new Participant({ audio: false });
  const bob = new Participant({ audio: false, video: false });
  participants.push(alice, bob);
  // The server answers Alice's offer and Bob consumes her camera before her answer (and so her
  // ICE/DTLS) completes: werift would drop that PLI, so it must not be counted.
  const pub = await router.createTransport({ direction: 'publish' });
  const producers: Producer[] = [];
  pub.on('producer', (p) => producers.push(p));
  const answer = await pub.handleOffer(await alice.publisher.createOffer());
  await bob.join(router);
  const consumer = await bob.subTransport.consume(producers[0]!.id);
  expect(await producers[0]!.getStats()).toMatchObject({ keyframeRequestsReceived: 1, pliSent: 0 });

  await alice.publisher.handleAnswer(answer);
  await alice.publisher.waitConnected();
  await new Promise((r) => setTimeout(r, INTERVAL_MS * 1.5));
  await consumer.requestKeyFrame();
  const stats = await producers[0]!.getStats();
  expect(stats).toMatchObject({ keyframeRequestsReceived: 2, pliSent: 1 });
  await waitFor(() => alice.publisher.pliReceived === 1, 2000, 'PLI at publisher');
  pub.close();
});
