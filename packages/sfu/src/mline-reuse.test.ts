import { afterAll, expect, it } from 'vitest';
import type { Consumer } from './consumer';
import { MediaWorker } from './media-worker';
import { Participant } from './testing/participant';

const CYCLES = 30;
let worker: MediaWorker | undefined;
const everyone: Participant[] = [];

afterAll(async () => {
  await Promise.all(everyone.map((p) => p.leave()));
  await worker?.close();
});

/** Sends from `from` until `watcher` has received `count` packets with the SSRC offered on mid. */
const flows = async (from: Participant, watcher: Participant, consumer: Consumer) => {
  const ssrc = watcher.subscriber.offeredSsrc(consumer.mid);
  expect(ssrc).toBeDefined();
  const deadline = Date.now() + 5000;
  while ((watcher.subscriber.receivedBySsrc.get(ssrc!) ?? 0) < 5) {
    if (Date.now() > deadline) throw new Error(`no RTP with SSRC ${ssrc} on mid ${consumer.mid}`);
    from.publisher.sendAudio(2);
    from.publisher.sendVideo(2);
    await new Promise((r) => setTimeout(r, 20));
  }
  return ssrc!;
};

it(
  `${CYCLES} overlapping join/leave cycles keep the subscribe offer at its peak m-line count, and media flows on reused m-lines`,
  { timeout: 180_000 },
  async () => {
    worker = await MediaWorker.create({ iceAdditionalHostAddresses: ['127.0.0.1'] });
    const router = await worker.createRouter();
    const host = new Participant({ audio: false, video: false });
    everyone.push(host);
    await host.join(router, { waitConnected: false });

    // Each guest joins before the previous one leaves: at most 2 audio + 2 video consumers.
    let previous: Participant | undefined;
    const mids = new Set<string>();
    const ssrcs = new Set<number>();
    let peak = { audio: 0, video: 0 };
    for (let i = 0; i < CYCLES; i++) {
      const guest = new Participant();
      everyone.push(guest);
      await guest.join(router);
      const consumers = await host.consume(guest.producers);
      peak = {
        audio: Math.max(peak.audio, host.subscriber.mLines().audio),
        video: Math.max(peak.video, host.subscriber.mLines().video),
      };
      for (const c of consumers) {
        mids.add(c.mid);
        const ssrc = await flows(guest, host, c);
        expect(ssrcs.has(ssrc)).toBe(false);
        ssrcs.add(ssrc);
      }
      if (previous) {
        await previous.leave();
        everyone.splice(everyone.indexOf(previous), 1);
        await host.renegotiate();
      }
      previous = guest;
    }

    expect(peak).toEqual({ audio: 2, video: 2 });
    expect(host.subscriber.mLines()).toEqual({ audio: 2, video: 2 });
    expect([...mids].sort()).toEqual(['0', '1', '2', '3']);
    expect(ssrcs.size).toBe(CYCLES * 2);
    expect(host.subscriber.gaps).toBe(0);
  },
);

it('a consumer closed within one negotiation round keeps its m-line out of reuse until the client has answered it inactive', async () => {
  worker ??= await MediaWorker.create({ iceAdditionalHostAddresses: ['127.0.0.1'] });
  const router = await worker.createRouter();
  const host = new Participant({ audio: false, video: false });
  const guest = new Participant({ audio: false });
  everyone.push(host, guest);
  await host.join(router, { waitConnected: false });
  await guest.join(router);
  const [first] = await host.consume(guest.producers);
  first!.close();
  // The offer that retires the m-line is not answered yet: a new consumer gets a new m-line.
  await host.subTransport.createOffer();
  const second = await host.subTransport.consume(guest.producers[0]!.id);
  expect(second.mid).not.toBe(first!.mid);
  await host.renegotiate();
  second.close();
  await host.renegotiate();
  // Both retired m-lines have been answered inactive; the lowest is reused, same kind, same mid.
  const third = await host.subTransport.consume(guest.producers[0]!.id);
  expect(third.mid).toBe(first!.mid);
  await host.renegotiate();
  expect(host.subscriber.mLines()).toEqual({ audio: 0, video: 2 });
  await flows(guest, host, third);
});

it('a consumer added while an offer is out goes inactive when it closes, and only then is reused', async () => {
  worker ??= await MediaWorker.create({ iceAdditionalHostAddresses: ['127.0.0.1'] });
  const router = await worker.createRouter();
  const host = new Participant({ audio: false, video: false });
  const guest = new Participant();
  everyone.push(host, guest);
  await host.join(router, { waitConnected: false });
  await guest.join(router);
  const audioProducer = guest.producers.find((p) => p.kind === 'audio')!;
  const videoProducer = guest.producers.find((p) => p.kind === 'video')!;
  const [audio] = await host.consume([audioProducer]);
  // The server's order when someone joins: a consumer, its offer, the next consumer before the
  // answer. werift marks the video transceiver stopped when the answer lacks its m-line.
  const offer = await host.subTransport.createOffer();
  const video = await host.subTransport.consume(videoProducer.id);
  await host.subTransport.handleAnswer(await host.subscriber.handleOffer(offer));
  await host.renegotiate();
  await flows(guest, host, video);

  video.close();
  audio!.close();
  await host.renegotiate();
  const sdp = host.subscriber.pc.remoteDescription!.sdp;
  const section = sdp.split(/\r?\n(?=m=)/).find((s) => s.includes(`a=mid:${video.mid}\r`))!;
  expect(section).toMatch(/^a=inactive\r?$/m);
  const again = await host.subTransport.consume(videoProducer.id);
  expect(again.mid).toBe(video.mid);
  await host.renegotiate();
  await flows(guest, host, again);
});
