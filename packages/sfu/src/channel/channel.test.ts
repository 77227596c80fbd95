import type { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import type { WorkerMessage } from './messages';
import { spawnWorkerThread } from './spawn';

let thread: Worker | undefined;

afterEach(async () => {
  await thread?.terminate();
});

const start = async (): Promise<{
  send: (m: unknown) => void;
  next: () => Promise<WorkerMessage>;
}> => {
  thread = spawnWorkerThread({
    iceServers: [],
    iceAdditionalHostAddresses: [],
    keyframeRequestMinIntervalMs: 1000,
    subscriberKeyframeRequestMinIntervalMs: 3000,
    inspection: false,
  });
  const queue: WorkerMessage[] = [];
  const waiters: ((m: WorkerMessage) => void)[] = [];
  thread.on('message', (m: WorkerMessage) => {
    if (m.kind.startsWith('event.')) return; // unsolicited events are not answers
    const waiter = waiters.shift();
    if (waiter) waiter(m);
    else queue.push(m);
  });
  const next = (): Promise<WorkerMessage> =>
    new Promise((resolve) => {
      const queued = queue.shift();
      if (queued) resolve(queued);
      else waiters.push(resolve);
    });
  // the SRTP fast path seals and opens with the native context (packages/aead-native is built)
  expect(await next()).toEqual({ kind: 'ready', aead: 'openssl-context-per-key' });
  return { send: (m) => thread!.postMessage(m), next };
};

describe('worker channel', () => {
  it('bad worker messages get a typed error and the worker keeps running', async () => {
    const { send, next } = await start();
    const bad: [unknown, number | null][] = [
      ['garbage', null],
      [null, null],
      [{ kind: 'worker.dump' }, null],
      [{ kind: 'nope', id: 1 }, 1],
      [{ kind: 'router.create', id: 2 }, 2],
      [{ kind: 'router.create', id: 3, routerId: 42 }, 3],
      [
        { kind: 'transport.create', id: 4, routerId: 'r', transportId: 't', direction: 'sideways' },
        4,
      ],
      [{ kind: 'transport.handleOffer', id: 5, transportId: 'x'.repeat(1000), sdp: 'v=0' }, 5],
    ];
    for (const [message, id] of bad) {
      send(message);
      expect(await next()).toMatchObject({
        kind: 'error',
        id,
        error: { code: 'SFU_ERR_INVALID_MESSAGE' },
      });
    }
    send({ kind: 'router.close', id: 6, routerId: 'missing' });
    expect(await next()).toMatchObject({
      kind: 'error',
      id: 6,
      error: { code: 'SFU_ERR_ROUTER_NOT_FOUND' },
    });
    send({ kind: 'router.create', id: 7, routerId: 'r1' });
    expect(await next()).toEqual({ kind: 'result', id: 7, result: null });
    send({ kind: 'router.create', id: 8, routerId: 'r1' });
    expect(await next()).toMatchObject({
      kind: 'error',
      id: 8,
      error: { code: 'SFU_ERR_DUPLICATE_ID' },
    });
    send({
      kind: 'transport.create',
      id: 9,
      routerId: 'r1',
      transportId: 't1',
      direction: 'publish',
    });
    expect(await next()).toMatchObject({ kind: 'result', id: 9 });
    send({ kind: 'transport.handleOffer', id: 10, transportId: 't1', sdp: 'not an sdp' });
    expect(await next()).toMatchObject({
      kind: 'error',
      id: 10,
      error: { code: 'SFU_ERR_INVALID_SDP' },
    });
    send({ kind: 'transport.createOffer', id: 11, transportId: 't1' });
    expect(await next()).toMatchObject({
      kind: 'error',
      id: 11,
      error: { code: 'SFU_ERR_WRONG_DIRECTION' },
    });
    send({ kind: 'worker.dump', id: 12 });
    expect(await next()).toMatchObject({
      kind: 'result',
      id: 12,
      result: { routers: 1, transports: 1, producers: 0, consumers: 0, peerConnections: 1 },
    });
  });
});
