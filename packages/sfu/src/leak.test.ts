import { afterAll, expect, it } from 'vitest';
import { MediaWorker } from './media-worker';
import { Participant } from './testing/participant';

const CYCLES = 20;
let worker: MediaWorker | undefined;

afterAll(async () => {
  await worker?.close();
});

it(`${CYCLES} join/leave cycles leave nothing behind`, { timeout: 120_000 }, async () => {
  worker = await MediaWorker.create({ iceAdditionalHostAddresses: ['127.0.0.1'] });
  const idle = await worker.dump();
  expect(idle).toMatchObject({
    routers: 0,
    transports: 0,
    producers: 0,
    consumers: 0,
    taps: 0,
    peerConnections: 0,
  });
  expect(idle.udpSockets).toBe(0);

  const router = await worker.createRouter();
  // A host stays for the whole meeting and watches everyone who comes and goes.
  const host = new Participant({ audio: false });
  await host.join(router);
  let hostBaseline: Awaited<ReturnType<MediaWorker['dump']>> | undefined;

  for (let i = 0; i < CYCLES; i++) {
    const guest = new Participant();
    await guest.join(router);
    const guestConsumers = await guest.consume(host.producers);
    const hostConsumers = await host.consume(guest.producers);
    // media flows both ways before leaving
    const deadline = Date.now() + 5000;
    while (
      (guest.subscriber.count(guestConsumers[0]!.mid) === 0 ||
        host.subscriber.count(hostConsumers[1]!.mid) === 0) &&
      Date.now() < deadline
    ) {
      host.publisher.sendVideo(1);
      guest.publisher.sendVideo(1);
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(guest.subscriber.count(guestConsumers[0]!.mid)).toBeGreaterThan(0);
    expect(host.subscriber.count(hostConsumers[1]!.mid)).toBeGreaterThan(0);

    await guest.leave();
    expect(hostConsumers.every((c) => c.closed)).toBe(true);
    await host.renegotiate(); // the server drops the guest's m-lines from the host's offer
    // After the first cycle both host PCs have gathered their sockets: that is the baseline.
    if (i === 0) {
      await expect
        .poll(() => worker!.dump(), { timeout: 5000 })
        .toMatchObject({ transports: 2, producers: 1, consumers: 0, peerConnections: 2 });
      hostBaseline = await worker.dump();
      expect(hostBaseline.udpSockets).toBeGreaterThan(0);
    }
  }

  // (drop and receive counters only ever grow: not part of what must come back to the baseline)
  await expect
    .poll(() => worker!.dump(), { timeout: 5000 })
    .toEqual({
      ...hostBaseline,
      srtpDrops: expect.any(Object),
      rtpReceivePath: expect.any(Object),
      nativeReceive: expect.objectContaining({ sockets: hostBaseline!.nativeReceive.sockets }),
      // (a native sender opens on a socket's first send, so the host's may still be opening;
      // that they all close is checked below)
      nativeSend: expect.any(Object),
    });

  await host.leave();
  router.close();
  await expect
    .poll(() => worker!.dump(), { timeout: 5000 })
    .toEqual({
      routers: 0,
      transports: 0,
      producers: 0,
      consumers: 0,
      taps: 0,
      peerConnections: 0,
      udpSockets: 0,
      // every packet the clients sent was genuine (a retransmission of a packet that had arrived
      // after all would count as replayed, rightly)
      srtpDrops: expect.objectContaining({ malformed: 0, authFailed: 0 }),
      rtpReceivePath: expect.any(Object),
      // every native receive stopped with its socket
      nativeReceive: expect.objectContaining({ sockets: 0, truncated: 0, errors: 0 }),
      // every native sender's dup closed with its socket; nothing refused
      nativeSend: expect.objectContaining({ sockets: 0, dropped: 0 }),
    });
});
