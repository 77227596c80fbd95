import type { ParticipantId, ServerEvent } from '@conclave/protocol';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { MeetingSettings } from '../../modules/meetings/meeting-store';
import type { SignalingPeer } from '../../signaling/peer';
import { RoomParticipant } from '../participant';
import { DeliveryService } from './delivery-service';

function setup(opts: { allowed?: boolean; settings?: Partial<MeetingSettings> } = {}) {
  const people = new Map<ParticipantId, RoomParticipant>();
  const inbox = new Map<ParticipantId, ServerEvent[]>();
  let released = 0;
  const ds = new DeliveryService(
    {
      participants: () => people.values(),
      get: (id) => people.get(id),
      send: (id, ev) => inbox.get(id)?.push(ev),
      broadcast: (ev) => {
        for (const box of inbox.values()) box.push(ev);
      },
      releaseHeld: async () => {
        released++;
      },
    },
    { e2eeAllowed: opts.allowed ?? true, unsupportedClientPolicy: 'downgrade', ...opts.settings },
    { logger: pino({ level: 'silent' }), batchWindowMs: 5, commitTimeoutMs: 200 },
  );
  const add = (name: string, role: 'host' | 'participant' = 'participant', capable = true) => {
    const peer: SignalingPeer = { send: () => undefined, close: () => undefined };
    const p = new RoomParticipant({
      id: name as ParticipantId,
      resumeToken: `t-${name}`,
      displayName: name,
      role,
      peer,
      e2eeCapable: capable,
      clientLabel: capable ? 'Chromium 156' : 'Old browser',
    });
    people.set(p.id, p);
    inbox.set(p.id, []);
    return p;
  };
  const events = (id: string, type?: string) =>
    (inbox.get(id as ParticipantId) ?? []).filter((e) => !type || e.type === type);
  return { ds, add, people, events, released: () => released };
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the MLS Delivery Service', () => {
  it('refuses to turn on for a plan or admin that does not allow it, with the subscription message', () => {
    const { ds, add } = setup({ allowed: false, settings: { planIncludesE2ee: false } });
    const host = add('host', 'host');
    expect(() => ds.enable(host)).toThrow(/not available with your subscription/);
    expect(ds.view()).toMatchObject({ available: false, status: 'off' });
  });

  it('refuses in a guest meeting when the operator does not allow it, saying so', () => {
    const { ds, add } = setup({ settings: { operatorAllowsGuestE2ee: false } });
    const host = add('host', 'host');
    expect(() => ds.enable(host)).toThrow(
      expect.objectContaining({
        code: 'E2EE_NOT_AVAILABLE',
        message: expect.stringMatching(/meetings without an account on this server/),
      }),
    );
    expect(ds.view()).toMatchObject({
      available: false,
      unavailableReason: expect.stringMatching(/without an account/),
    });
  });

  it('only the host turns it on, and not while an unsupported client is in the meeting', () => {
    const { ds, add } = setup();
    const host = add('host', 'host');
    const bob = add('bob');
    expect(() => ds.enable(bob)).toThrow(expect.objectContaining({ code: 'NOT_HOST' }));
    const old = add('old', 'participant', false);
    expect(() => ds.enable(host)).toThrow(/old \(Old browser\)/);
    expect(ds.view().status).toBe('off');
    void old;
  });

  it('turning on hands the host the KeyPackages it has and asks the others for one', () => {
    const { ds, add, events } = setup();
    const host = add('host', 'host');
    const bob = add('bob');
    add('carol');
    ds.keyPackage(bob, 'QkJC');
    const { keyPackages } = ds.enable(host);
    expect(keyPackages).toEqual([{ participantId: 'bob', keyPackage: 'QkJC' }]);
    expect(events('carol', 'e2ee.keyPackageNeeded')).toHaveLength(1);
    expect(ds.view()).toMatchObject({ status: 'starting', enabledBy: 'host', members: ['host'] });
  });

  it('accepts the first commit for an epoch and rejects a later one with the current epoch', () => {
    const { ds, add, events } = setup();
    const host = add('host', 'host');
    const bob = add('bob');
    ds.keyPackage(bob, 'QkJC');
    ds.enable(host);
    expect(
      ds.commit(host, {
        epoch: 0,
        commit: 'Q09NTQ==',
        welcome: 'V0VMQw==',
        added: [bob.id],
        removed: [],
      }),
    ).toEqual({ epoch: 1 });
    expect(events('bob', 'e2ee.welcome')).toEqual([
      { type: 'e2ee.welcome', epoch: 1, welcome: 'V0VMQw==' },
    ]);
    expect(ds.view()).toMatchObject({ status: 'on', epoch: 1, members: ['host', 'bob'] });
    expect(() => ds.commit(bob, { epoch: 0, commit: 'TEFURQ==', added: [], removed: [] })).toThrow(
      /group is at epoch 1/,
    );
    ds.commit(bob, { epoch: 1, commit: 'QkNNVA==', added: [], removed: [] });
    expect(events('host', 'e2ee.commit')).toEqual([
      { type: 'e2ee.commit', epoch: 1, commit: 'QkNNVA==', from: 'bob' },
    ]);
  });

  it('nobody in the waiting room is added to the group until the host lets them in', async () => {
    const { ds, add, events } = setup();
    const host = add('host', 'host');
    ds.enable(host);
    ds.commit(host, { epoch: 0, commit: 'Q09NTQ==', added: [], removed: [] });
    const wendy = add('wendy');
    wendy.held = true;
    wendy.waiting = true;
    expect(() => ds.keyPackage(wendy, btoa('wendy'))).toThrow(
      expect.objectContaining({ code: 'NOT_LET_IN' }),
    );
    expect(() => ds.joinFailed(wendy, 'x', btoa('wendy'))).toThrow(
      expect.objectContaining({ code: 'NOT_LET_IN' }),
    );
    await wait(20);
    expect(events('host', 'e2ee.pending')).toHaveLength(0);
    wendy.waiting = false;
    wendy.held = false;
    ds.admitted(wendy);
    expect(events('wendy', 'e2ee.keyPackageNeeded')).toHaveLength(1);
    ds.keyPackage(wendy, btoa('wendy'));
    await wait(20);
    expect(events('host', 'e2ee.pending')[0]).toMatchObject({
      add: [{ participantId: 'wendy' }],
    });
  });

  it('batches a burst of joins into one pending request to the committer', async () => {
    const { ds, add, events } = setup();
    const host = add('host', 'host');
    ds.enable(host);
    ds.commit(host, { epoch: 0, commit: 'Q09NTQ==', added: [], removed: [] });
    for (const name of ['a', 'b', 'c']) ds.keyPackage(add(name), btoa(name));
    await wait(20);
    const pending = events('host', 'e2ee.pending');
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({
      epoch: 1,
      add: [{ participantId: 'a' }, { participantId: 'b' }, { participantId: 'c' }],
      remove: [],
    });
  });

  it('a leaver is removed by the next commit; a committer who leaves is replaced', async () => {
    const { ds, add, events, people } = setup();
    const host = add('host', 'host');
    const bob = add('bob');
    const carol = add('carol');
    ds.keyPackage(bob, 'Qg==');
    ds.keyPackage(carol, 'Qw==');
    ds.enable(host);
    ds.commit(host, {
      epoch: 0,
      commit: 'Q09NTQ==',
      welcome: 'Vw==',
      added: [bob.id, carol.id],
      removed: [],
    });
    people.delete(host.id);
    ds.participantLeft(host);
    await wait(20);
    const [pending] = [...events('bob', 'e2ee.pending'), ...events('carol', 'e2ee.pending')];
    expect(pending).toMatchObject({ epoch: 1, add: [], remove: ['host'] });
  });

  it('a leave while a commit is in flight waits for that commit: the committer is never asked twice for one epoch', async () => {
    const { ds, add, people, events } = setup();
    const host = add('host', 'host');
    const bob = add('bob');
    const carol = add('carol');
    ds.enable(host);
    ds.commit(host, { epoch: 0, commit: 'Q09NTQ==', welcome: 'V0VMQw==', added: [], removed: [] });
    ds.keyPackage(bob, btoa('bob'));
    ds.keyPackage(carol, btoa('carol'));
    await wait(20);
    ds.commit(host, {
      epoch: 1,
      commit: 'Q09NTQ==',
      welcome: 'V0VMQw==',
      added: [bob.id, carol.id],
      removed: [],
    });
    const dave = add('dave');
    ds.keyPackage(dave, btoa('dave'));
    await wait(20);
    expect(events('host', 'e2ee.pending')).toHaveLength(2); // epoch 0 had none; 1 and 2
    people.delete(carol.id);
    ds.participantLeft(carol);
    await wait(20);
    expect(
      events('host', 'e2ee.pending').filter((e) => e.type === 'e2ee.pending' && e.epoch === 2),
    ).toHaveLength(1);
    ds.commit(host, {
      epoch: 2,
      commit: 'Q09NTQ==',
      welcome: 'V0VMQw==',
      added: [dave.id],
      removed: [],
    });
    await wait(20);
    expect(events('host', 'e2ee.pending').at(-1)).toMatchObject({ epoch: 3, remove: ['carol'] });
  });

  it('a commit made before someone moved to another room is not sent to them: their device is in that room’s group now', async () => {
    // Breakout moves under load (issue 18): the committer was asked to remove the first
    // movers; the next ones moved (and promoted their room's group) before its Commit came.
    // Sent to them, it was applied to their room's group and shown as a failed key change.
    const { ds, add, events } = setup();
    const host = add('host', 'host');
    const [bea, cy, dee] = ['bea', 'cy', 'dee'].map((n) => add(n));
    ds.enable(host);
    ds.commit(host, { epoch: 0, commit: 'Q09NTQ==', welcome: 'V0VMQw==', added: [], removed: [] });
    for (const p of [bea!, cy!, dee!]) ds.keyPackage(p, btoa(p.id));
    await wait(20);
    ds.commit(host, {
      epoch: 1,
      commit: 'Q09NTQ==',
      welcome: 'V0VMQw==',
      added: [bea!.id, cy!.id, dee!.id],
      removed: [],
    });
    ds.participantLeft(bea!); // moved to a breakout room, still connected
    await wait(20);
    expect(events('host', 'e2ee.pending').at(-1)).toMatchObject({ epoch: 2, remove: ['bea'] });
    ds.participantLeft(cy!); // moved after the request went out
    const before = events('cy', 'e2ee.commit').length;
    ds.commit(host, { epoch: 2, commit: 'UkVNMQ==', added: [], removed: [bea!.id] });
    expect(events('dee', 'e2ee.commit').at(-1)).toMatchObject({ epoch: 2, commit: 'UkVNMQ==' });
    expect(events('cy', 'e2ee.commit')).toHaveLength(before);
    expect(
      events('bea', 'e2ee.commit').some((e) => e.type === 'e2ee.commit' && e.epoch === 2),
    ).toBe(false);
    // cy's leaf goes in the next commit, which nobody who left receives either.
    await wait(20);
    expect(events('host', 'e2ee.pending').at(-1)).toMatchObject({ epoch: 3, remove: ['cy'] });
  });

  it('a joiner whose Welcome failed is removed and added again with its fresh KeyPackage; after giving up, the host is told', async () => {
    const { ds, add, events } = setup();
    const host = add('host', 'host');
    const bob = add('bob');
    ds.keyPackage(bob, btoa('bob'));
    ds.enable(host);
    ds.commit(host, {
      epoch: 0,
      commit: 'Q09NTQ==',
      welcome: 'V0VMQw==',
      added: [bob.id],
      removed: [],
    });
    expect(() => ds.joinFailed(add('eve'), 'no', undefined)).toThrow(
      expect.objectContaining({ code: 'E2EE_BAD_STATE' }),
    );
    ds.joinFailed(bob, 'bad Welcome', btoa('bob again'));
    await wait(20);
    expect(events('host', 'e2ee.pending').at(-1)).toMatchObject({
      epoch: 1,
      add: [{ participantId: 'bob', keyPackage: btoa('bob again') }],
      remove: ['bob'],
    });
    ds.commit(host, {
      epoch: 1,
      commit: 'Q09NTQ==',
      welcome: 'V0VMQw==',
      added: [bob.id],
      removed: [bob.id],
    });
    expect(events('bob', 'e2ee.welcome')).toHaveLength(2);
    expect(events('bob', 'e2ee.commit')).toHaveLength(0);
    ds.joinFailed(bob, 'bad Welcome again', undefined);
    expect(events('host', 'e2ee.memberJoinFailed')).toEqual([
      {
        type: 'e2ee.memberJoinFailed',
        participantId: 'bob',
        displayName: 'bob',
        reason: 'bad Welcome again',
      },
    ]);
    await wait(20);
    expect(events('host', 'e2ee.pending').at(-1)).toMatchObject({
      epoch: 2,
      add: [],
      remove: ['bob'],
    });
  });

  it('a KeyPackage the committer refuses is dropped at once and its device asked for a fresh one, without waiting out the commit timeout', async () => {
    const { ds, add, events } = setup();
    const host = add('host', 'host');
    const cohost = add('cohost', 'host');
    ds.enable(host);
    ds.commit(host, { epoch: 0, commit: 'Q09NTQ==', added: [], removed: [] });
    expect(ds.view().members).toEqual(['host']);
    // After a failover, a device's first KeyPackage named the seat it had on the dead node.
    const bob = add('bob');
    ds.keyPackage(bob, btoa('bob, old seat'));
    await wait(20);
    expect(events('host', 'e2ee.pending')).toHaveLength(1);
    // Only the device asked to commit may answer, and only for the epoch it was asked about.
    const refusal = { participantId: bob.id, reason: 'not-in-meeting' as const };
    expect(() =>
      ds.refused(cohost, { epoch: 1, refused: [refusal], commitFollows: false }),
    ).toThrow(expect.objectContaining({ code: 'E2EE_BAD_STATE' }));
    expect(() => ds.refused(host, { epoch: 0, refused: [refusal], commitFollows: false })).toThrow(
      expect.objectContaining({ code: 'E2EE_EPOCH_STALE' }),
    );
    ds.refused(host, { epoch: 1, refused: [refusal], commitFollows: false });
    expect(events('bob', 'e2ee.keyPackageNeeded')).toHaveLength(1);
    ds.keyPackage(bob, btoa('bob, new seat'));
    await wait(20); // the batch window (5 ms), far below the commit timeout (200 ms)
    expect(events('host', 'e2ee.pending')).toHaveLength(2);
    expect(events('host', 'e2ee.pending').at(-1)).toMatchObject({
      epoch: 1,
      add: [{ participantId: 'bob', keyPackage: btoa('bob, new seat') }],
    });
    // Refused again: given up on, and the other host devices are told who and why.
    ds.refused(host, { epoch: 1, refused: [refusal], commitFollows: false });
    expect(events('bob', 'e2ee.keyPackageNeeded')).toHaveLength(1);
    expect(events('cohost', 'e2ee.memberJoinFailed')).toEqual([
      expect.objectContaining({ participantId: 'bob', reason: expect.stringMatching(/refused/) }),
    ]);
    expect(events('host', 'e2ee.memberJoinFailed')).toEqual([]);
    await wait(20);
    expect(events('host', 'e2ee.pending')).toHaveLength(2);
  });

  it('a refusal before the commit leaves the others of the request to that commit, and keeps a fresh KeyPackage that came meanwhile', async () => {
    const { ds, add, events } = setup();
    const host = add('host', 'host');
    ds.enable(host);
    ds.commit(host, { epoch: 0, commit: 'Q09NTQ==', added: [], removed: [] });
    const [bob, carol] = [add('bob'), add('carol')];
    ds.keyPackage(bob, btoa('bob stale'));
    ds.keyPackage(carol, btoa('carol'));
    await wait(20);
    ds.keyPackage(bob, btoa('bob fresh'));
    ds.refused(host, {
      epoch: 1,
      refused: [{ participantId: bob.id, reason: 'not-in-meeting' }],
      commitFollows: true,
    });
    expect(events('bob', 'e2ee.keyPackageNeeded')).toHaveLength(0);
    await wait(20);
    expect(events('host', 'e2ee.pending')).toHaveLength(1); // the commit is still coming
    ds.commit(host, {
      epoch: 1,
      commit: 'Q09NTQ==',
      welcome: 'V0VMQw==',
      added: [carol.id],
      removed: [],
    });
    await wait(20);
    expect(events('host', 'e2ee.pending').at(-1)).toMatchObject({
      epoch: 2,
      add: [{ participantId: 'bob', keyPackage: btoa('bob fresh') }],
    });
  });

  it('a big meeting turning on is added in commits of at most 100 KeyPackages (each fits one message)', async () => {
    const { ds, add, events } = setup();
    const host = add('host', 'host');
    const people = Array.from({ length: 250 }, (_, i) => add(`p${i}`));
    for (const p of people) ds.keyPackage(p, btoa(p.id));
    const { keyPackages } = ds.enable(host);
    expect(keyPackages).toHaveLength(100);
    ds.commit(host, {
      epoch: 0,
      commit: 'Q09NTQ==',
      welcome: 'V0VMQw==',
      added: keyPackages.map((k) => k.participantId),
      removed: [],
    });
    await wait(20);
    const next = events('host', 'e2ee.pending').at(-1);
    expect(next).toMatchObject({ epoch: 1 });
    expect(next?.type === 'e2ee.pending' && next.add.length).toBe(100);
  });

  it('turning off relays the host device message to members, then admits held participants', async () => {
    const { ds, add, events, released } = setup();
    const host = add('host', 'host');
    const bob = add('bob');
    ds.keyPackage(bob, 'Qg==');
    ds.enable(host);
    ds.commit(host, {
      epoch: 0,
      commit: 'Q09NTQ==',
      welcome: 'Vw==',
      added: [bob.id],
      removed: [],
    });
    await expect(ds.disable(bob, 'T0ZG')).rejects.toMatchObject({ code: 'NOT_HOST' });
    await ds.disable(host, 'T0ZG');
    expect(events('bob', 'e2ee.app')).toEqual([
      { type: 'e2ee.app', from: 'host', message: 'T0ZG' },
    ]);
    expect(ds.view()).toMatchObject({ status: 'off', members: [] });
    expect(released()).toBe(1);
  });

  it('offers the host to turn it back on when the participant who forced it off leaves', async () => {
    const { ds, add, events, people } = setup();
    const host = add('host', 'host');
    ds.enable(host);
    ds.commit(host, { epoch: 0, commit: 'Q09NTQ==', added: [], removed: [] });
    const old = add('old', 'participant', false);
    old.held = true;
    ds.unsupportedJoined(old);
    expect(events('host', 'e2ee.downgradeRequired')).toHaveLength(1);
    await ds.disable(host, 'T0ZG');
    old.held = false; // let in once E2EE went off
    people.delete(old.id);
    ds.participantLeft(old);
    expect(events('host', 'e2ee.reenableOffered')).toEqual([
      { type: 'e2ee.reenableOffered', displayName: 'old' },
    ]);
  });

  it('holds no key material: its whole state is public MLS data and ids', () => {
    const { ds, add } = setup();
    const host = add('host', 'host');
    ds.enable(host);
    const state = JSON.stringify(ds.view());
    expect(state).not.toMatch(/secret|private|key"/i);
  });

  it('gives up a start the host device never completes', async () => {
    const { ds, add } = setup();
    const host = add('host', 'host');
    ds.enable(host);
    await wait(260);
    expect(ds.view().status).toBe('off');
  });

  it('a room opening with spare KeyPackages starts its group and adds them all in the first commit, with no KeyPackage round trip', () => {
    const { ds, add, events } = setup();
    ds.restartable = true;
    const [ann, ben, cat] = [add('ann'), add('ben'), add('cat')];
    ds.arriveAll(
      [
        { p: ann, keyPackage: 'QUFB' },
        { p: ben, keyPackage: 'QkJC' },
        { p: cat }, // no spare: asked for a KeyPackage as before
      ],
      'host' as ParticipantId,
      'b2Zm',
    );
    expect(events('ann', 'e2ee.startGroup')).toEqual([
      {
        type: 'e2ee.startGroup',
        keyPackages: [{ participantId: 'ben', keyPackage: 'QkJC' }],
        offKeys: ['b2Zm'],
      },
    ]);
    expect(events('ben', 'e2ee.keyPackageNeeded')).toEqual([]);
    expect(events('cat', 'e2ee.keyPackageNeeded')).toHaveLength(1);
    ds.commit(ann, {
      epoch: 0,
      commit: 'Q09NTQ==',
      welcome: 'V0VMQw==',
      added: ['ben' as ParticipantId],
      removed: [],
    });
    expect(events('ben', 'e2ee.welcome')).toHaveLength(1);
    expect(ds.view().members).toEqual(['ann', 'ben']);
  });

  it('arrivals with spares into a group with members are asked for at once, in one request', () => {
    const { ds, add, events } = setup({});
    const host = add('host', 'host');
    ds.enable(host);
    ds.commit(host, { epoch: 0, commit: 'Q09NTQ==', added: [], removed: [] });
    const [ann, ben] = [add('ann'), add('ben')];
    ds.arriveAll(
      [
        { p: ann, keyPackage: 'QUFB' },
        { p: ben, keyPackage: 'QkJC' },
      ],
      host.id,
    );
    // No batch window: the whole batch is known.
    expect(events('host', 'e2ee.pending')).toEqual([
      expect.objectContaining({
        epoch: 1,
        add: [
          { participantId: 'ann', keyPackage: 'QUFB' },
          { participantId: 'ben', keyPackage: 'QkJC' },
        ],
      }),
    ]);
  });
});
