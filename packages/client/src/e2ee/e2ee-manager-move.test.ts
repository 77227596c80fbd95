import { createNodeBackend } from '@conclave/e2ee/node';
import type { E2eeState, ParticipantId } from '@conclave/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { SignalClient } from '../signal/signal-client';
import { E2eeManager } from './e2ee-manager';
import { InProcessE2eeWorker } from './in-process-worker';
import { E2eeWorkerClient } from './worker-client';

// Issue 18: a breakout move leaves this device's group (its frames stay dropped, never clear).
// When the `e2ee.promote` of the group prepared for its room came with the move, the promotion
// leaves the old group in its own worker step: one step between the move and the room's keys.

const ON: E2eeState = {
  status: 'on',
  epoch: 1,
  enabledBy: 'p-host' as ParticipantId,
  available: true,
  unavailableReason: null,
  policy: 'downgrade',
  members: [],
};

const until = async (check: () => boolean, what: string): Promise<void> => {
  const deadline = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

/** A device alone in its started group, and the kinds of request its worker got. */
async function deviceInGroup() {
  const inner = new InProcessE2eeWorker(createNodeBackend());
  const requests: string[] = [];
  const post = inner.postMessage.bind(inner);
  inner.postMessage = (data: unknown) => {
    requests.push((data as { kind: string }).kind);
    post(data);
  };
  const manager = new E2eeManager({
    capabilities: { encodedTransform: 'native', mlsCiphersuites: [1], clientLabel: 'test' },
    worker: new E2eeWorkerClient(inner as unknown as Worker),
    selfId: () => 'p-host' as ParticipantId,
    participants: () => [],
    isHost: () => true,
  });
  const sent: Record<string, unknown>[] = [];
  const signal = {
    request: (msg: Record<string, unknown>) => (sent.push(msg), Promise.resolve({})),
  } as unknown as SignalClient;
  await manager.attach(signal, ON, { userId: 'p-host', displayName: 'Host', deviceId: 'p-host' });
  manager.handleEvent({ type: 'e2ee.startGroup', keyPackages: [] });
  await until(() => sent.some((m) => m.type === 'e2ee.commit'), 'the first commit');
  await until(() => inner.engine.status().inGroup, 'in the group');
  requests.length = 0;
  return { manager, engine: inner.engine, requests };
}

describe('a breakout move under E2EE', () => {
  let manager: E2eeManager | undefined;
  afterEach(() => manager?.close());

  it('with the promote in the same read: the promotion leaves the old group, no step of its own', async () => {
    const device = await deviceInGroup();
    manager = device.manager;
    manager.roomChanged(['p-host' as ParticipantId]);
    manager.handleEvent({ type: 'e2ee.promote', planId: 'plan-1', room: 0 });
    await until(() => device.requests.includes('promotePrepared'), 'the promotion');
    await until(() => !device.engine.status().inGroup, 'out of the old group');
    expect(device.requests).not.toContain('abandonGroup');
    // No group prepared here: refused, and the old group's keys are gone all the same.
    expect(device.engine.status()).toMatchObject({ inGroup: false, encrypting: true });
  });

  it('alone: the move leaves the old group in a step of its own', async () => {
    const device = await deviceInGroup();
    manager = device.manager;
    manager.roomChanged(['p-host' as ParticipantId]);
    await until(() => device.requests.includes('abandonGroup'), 'leaving the group');
    await until(() => !device.engine.status().inGroup, 'out of the old group');
    expect(device.engine.status()).toMatchObject({ inGroup: false, encrypting: true });
  });

  it('the old room’s E2EE state, still queued at the move, is not taken for the new room’s', async () => {
    // Its members were shown as "in the meeting but does not hold the key yet" until the new
    // room's state came (issue 18: a warning flashing at every breakout move).
    const device = await deviceInGroup();
    manager = device.manager;
    const main = { ...ON, members: ['p-host', 'p-dee'] as ParticipantId[] };
    manager.handleEvent({ type: 'e2ee.state', state: main });
    manager.roomChanged(['p-host' as ParticipantId]);
    await until(() => device.requests.includes('abandonGroup'), 'leaving the group');
    await new Promise((r) => setTimeout(r, 20));
    expect(manager.view.meeting.members).toEqual([]);
    const room = { ...ON, epoch: 2, members: ['p-host'] as ParticipantId[] };
    manager.handleEvent({ type: 'e2ee.state', state: room });
    await until(() => manager!.view.meeting.members.length === 1, 'the room’s state');
    expect(manager.view.meeting).toMatchObject({ epoch: 2, members: ['p-host'] });
  });
});
