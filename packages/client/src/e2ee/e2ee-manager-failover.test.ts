import { GroupSession } from '@conclave/e2ee';
import { createNodeBackend } from '@conclave/e2ee/node';
import type { E2eeState, ParticipantId } from '@conclave/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { SignalClient } from '../signal/signal-client';
import { fromBase64, toBase64 } from './base64';
import { E2eeManager } from './e2ee-manager';
import { E2eeEngine } from './engine';
import { InProcessE2eeWorker } from './in-process-worker';
import { E2eeWorkerClient } from './worker-client';

// Failover (README "Running several nodes"): a device comes back on another node with a new
// seat, i.e. a new participant id, which is also its MLS identity. The new node's Delivery
// Service may ask it for a KeyPackage (`e2ee.keyPackageNeeded`, the host's device restarting the
// group) in the same read as the join result, before the device's E2EE setup for the new seat
// ran. A KeyPackage made then must already name the new seat: one naming the old seat is refused
// by every committer (no such device in the meeting any more), and the device is left out.

const ON: E2eeState = {
  status: 'on',
  epoch: 1,
  enabledBy: 'p-host' as ParticipantId,
  available: true,
  unavailableReason: null,
  policy: 'downgrade',
  members: [],
};

/** A signaling connection that records what the device sent. */
function recordingSignal(): { signal: SignalClient; sent: Record<string, unknown>[] } {
  const sent: Record<string, unknown>[] = [];
  const signal = {
    request: (msg: Record<string, unknown>) => {
      sent.push(msg);
      return Promise.resolve({});
    },
  } as unknown as SignalClient;
  return { signal, sent };
}

const until = async (check: () => boolean, what: string): Promise<void> => {
  const deadline = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('a device that comes back with a new seat', () => {
  let manager: E2eeManager | undefined;
  afterEach(() => manager?.close());

  it('makes every KeyPackage for the new seat, even one asked for before its setup ran', async () => {
    let self = 'p-old' as ParticipantId;
    const worker = new E2eeWorkerClient(
      new InProcessE2eeWorker(createNodeBackend()) as unknown as Worker,
    );
    manager = new E2eeManager({
      capabilities: { encodedTransform: 'native', mlsCiphersuites: [1], clientLabel: 'test' },
      worker,
      selfId: () => self,
      participants: () => [],
      isHost: () => false,
    });
    const first = recordingSignal();
    await manager.attach(first.signal, ON, {
      userId: 'p-old',
      displayName: 'Bot',
      deviceId: 'p-old',
    });
    // In a group on the old node (here: a group of its own, started at the Delivery Service's word).
    manager.handleEvent({ type: 'e2ee.startGroup', keyPackages: [] });
    await until(() => first.sent.some((m) => m.type === 'e2ee.commit'), 'the first commit');

    // The old node died; the join on the new node gives a new seat. As RoomClient does, events
    // that came with the join result are handled first, then the E2EE setup for the new seat.
    self = 'p-new' as ParticipantId;
    const second = recordingSignal();
    manager.handleEvent({ type: 'e2ee.keyPackageNeeded' });
    await manager.attach(
      second.signal,
      { ...ON, epoch: 0, status: 'starting' },
      { userId: 'p-new', displayName: 'Bot', deviceId: 'p-new' },
      true,
    );
    const uploads = () => second.sent.filter((m) => m.type === 'e2ee.keyPackage');
    await until(() => uploads().length === 2, 'two KeyPackages on the new connection');
    const named = uploads().map(
      (m) => GroupSession.inspectKeyPackage(fromBase64(m.keyPackage as string))?.identity.deviceId,
    );
    expect(named).toEqual(['p-new', 'p-new']);
  });
});

describe('a committer that refuses every KeyPackage it was asked to add', () => {
  let manager: E2eeManager | undefined;
  afterEach(() => manager?.close());

  it('tells the Delivery Service so at once (which would otherwise wait out its commit timeout)', async () => {
    const backend = createNodeBackend();
    manager = new E2eeManager({
      capabilities: { encodedTransform: 'native', mlsCiphersuites: [1], clientLabel: 'test' },
      worker: new E2eeWorkerClient(new InProcessE2eeWorker(backend) as unknown as Worker),
      selfId: () => 'p-host' as ParticipantId,
      participants: () => [],
      isHost: () => true,
    });
    const { signal, sent } = recordingSignal();
    await manager.attach(signal, ON, { userId: 'p-host', displayName: 'Host', deviceId: 'p-host' });
    manager.handleEvent({ type: 'e2ee.startGroup', keyPackages: [] });
    await until(() => sent.some((m) => m.type === 'e2ee.commit'), 'the first commit');
    const commits = () => sent.filter((m) => m.type === 'e2ee.commit').length;

    // A KeyPackage of a device that never joined this meeting (here: of the old seat's id).
    const stranger = new E2eeEngine({ backend });
    await stranger.init({ userId: 'p-gone', displayName: 'Bot', deviceId: 'p-gone' });
    const keyPackage = toBase64(await stranger.makeKeyPackage());
    manager.handleEvent({
      type: 'e2ee.pending',
      epoch: 1,
      add: [{ participantId: 'p-bot' as ParticipantId, keyPackage }],
      remove: [],
    });
    await until(() => sent.some((m) => m.type === 'e2ee.refused'), 'the refusal');
    expect(sent.find((m) => m.type === 'e2ee.refused')).toMatchObject({
      epoch: 1,
      refused: [{ participantId: 'p-bot', reason: 'unknown-device' }],
      commitFollows: false,
    });
    expect(commits()).toBe(1);
  });
});
