import type { ParticipantId } from '@conclave/protocol';
import { MediaWorker, SfuError } from '@conclave/sfu';
import type { Router } from '@conclave/sfu';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { Participant as SfuParticipant } from '../../packages/sfu/src/testing/participant';
import { createLogger } from '../../apps/server/src/logger';
import { MediaRouting } from '../../apps/server/src/rtc/media-routing';
import { RoomParticipant } from '../../apps/server/src/rtc/participant';

// The media inspection tests use to see what the SFU receives: a track whose samples the SFU
// cannot give says why (a typed SfuError), instead of looking like a publisher that sends nothing.

/** TOC 0xF8: 20 ms of CELT fullband, zero-length frame. */
const OPUS_20MS = Buffer.from([0xf8]);

const workers: MediaWorker[] = [];
const publishers: SfuParticipant[] = [];
afterEach(async () => {
  await Promise.all(publishers.splice(0).map((p) => p.leave()));
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.close()));
});

/** A room with Alice publishing a microphone into a worker with or without inspection. */
async function roomWithAlice(inspection: boolean) {
  const worker = await MediaWorker.create({
    iceAdditionalHostAddresses: ['127.0.0.1'],
    inspection,
  });
  workers.push(worker);
  const router: Router = await worker.createRouter();
  const publisher = new SfuParticipant({ video: false });
  publishers.push(publisher);
  await publisher.join(router);
  const alice = new RoomParticipant({
    id: 'alice-id' as ParticipantId,
    resumeToken: 'alice',
    displayName: 'Alice',
    role: 'host',
    peer: { send() {}, close() {} },
    e2eeCapable: true,
    clientLabel: 'test',
  });
  const mic = publisher.producers.find((p) => p.kind === 'audio')!;
  alice.published.set(mic.id, { producer: mic, source: 'microphone', pausedByHost: false });
  const routing = new MediaRouting({
    routerFor: () => router,
    logger: createLogger('silent'),
    participants: () => [alice],
  });
  for (let i = 0; i < 10; i++) publisher.publisher.sendAudioPayload(OPUS_20MS);
  await expect.poll(async () => (await mic.getStats()).rtpPacketsIn, { timeout: 5000 }).toBe(10);
  return routing;
}

describe('media inspection', () => {
  it('on a server without media.inspection a track says the SFU refused, with its code', async () => {
    const [track] = await (await roomWithAlice(false)).inspect();
    expect(track).toMatchObject({ displayName: 'Alice', kind: 'audio', samples: [] });
    expect(track!.stats.rtpPacketsIn, 'the counters are still there').toBe(10);
    expect(track!.samplesError).toBeInstanceOf(SfuError);
    expect(track!.samplesError!.code).toBe('SFU_ERR_INSPECTION_DISABLED');
  });

  it('with media.inspection a track has its samples and no error', async () => {
    const [track] = await (await roomWithAlice(true)).inspect();
    expect(track!.samplesError).toBeNull();
    expect(track!.samples).toHaveLength(10);
  });
});
