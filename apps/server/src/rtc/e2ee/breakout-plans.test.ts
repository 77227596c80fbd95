import type { ParticipantId, ServerEvent } from '@conclave/protocol';
import { describe, expect, it, vi } from 'vitest';
import { RoomParticipant } from '../participant';
import { BreakoutPlans, MIN_PREPARE_INTERVAL_MS } from './breakout-plans';

function setup(opts: { e2ee?: boolean; spares?: boolean } = {}) {
  const people = new Map<ParticipantId, RoomParticipant>();
  const broadcast: ServerEvent[] = [];
  const sent = new Map<string, ServerEvent[]>();
  const plans = new BreakoutPlans({
    participants: () => people.values(),
    get: (id) => people.get(id),
    send: (id, ev) => sent.get(id)?.push(ev),
    broadcast: (ev) => broadcast.push(ev),
    canPrepare: () => opts.e2ee ?? true,
    takeSpares: (ids) => (opts.spares === false ? undefined : ids.map((id) => `kp-${id}`)),
  });
  const add = (name: string, role: 'host' | 'participant' = 'participant') => {
    sent.set(name, []);
    const p = new RoomParticipant({
      id: name as ParticipantId,
      resumeToken: name,
      displayName: name,
      role,
      peer: { send: () => undefined, close: () => undefined },
      e2eeCapable: true,
      clientLabel: 'test',
    });
    people.set(p.id, p);
    return p;
  };
  return { plans, add, broadcast, sent, people };
}

const twoRooms = { rooms: [{ name: 'A' }, { name: 'B' }], assignments: {}, manualOnly: false };

describe('breakout plans (prepared breakout groups under E2EE)', () => {
  it('only a host plans, and not faster than the limit', () => {
    vi.useFakeTimers();
    try {
      const { plans, add, broadcast } = setup();
      const host = add('host', 'host');
      const ann = add('ann');
      expect(() => plans.prepare(ann, twoRooms)).toThrow(
        expect.objectContaining({ code: 'NOT_HOST' }),
      );
      expect(broadcast).toEqual([]);
      expect(plans.prepare(host, twoRooms).planId).toBeTruthy();
      expect(() => plans.prepare(host, twoRooms)).toThrow(
        expect.objectContaining({ code: 'RATE_LIMITED' }),
      );
      vi.advanceTimersByTime(MIN_PREPARE_INTERVAL_MS);
      expect(plans.prepare(host, twoRooms).planId).toBeTruthy();
    } finally {
      vi.useRealTimers();
    }
  });

  it('with E2EE off nothing is planned or sent', () => {
    const { plans, add, broadcast, sent } = setup({ e2ee: false });
    const host = add('host', 'host');
    add('ann');
    expect(plans.prepare(host, twoRooms)).toEqual({ planId: null });
    expect(broadcast).toEqual([]);
    expect([...sent.values()].flat()).toEqual([]);
  });

  it('each room’s first member prepares it; the room opens prepared only with exactly its members, all ready', () => {
    const { plans, add, sent } = setup();
    const host = add('host', 'host');
    const [ann, , cy, dee] = ['ann', 'bob', 'cy', 'dee'].map((n) => add(n));
    // Round robin like opening: ann, cy in room 0; bob, dee in room 1.
    const { planId } = plans.prepare(host, twoRooms);
    expect(sent.get('ann')).toContainEqual({
      type: 'e2ee.prepareGroup',
      planId,
      room: 0,
      keyPackages: [{ participantId: 'cy', keyPackage: 'kp-cy' }],
    });
    expect(sent.get('bob')?.[0]).toMatchObject({ type: 'e2ee.prepareGroup', room: 1 });
    // A Welcome for someone outside the room is not relayed.
    plans.welcome(ann!, {
      planId: planId!,
      room: 0,
      welcome: 'V2VsY29tZQ==',
      added: ['cy', 'dee'] as ParticipantId[],
    });
    expect(sent.get('dee')).toEqual([]);
    expect(sent.get('cy')).toContainEqual({
      type: 'e2ee.preparedWelcome',
      planId,
      room: 0,
      welcome: 'V2VsY29tZQ==',
    });
    expect(() => plans.ready(dee!, { planId: planId!, room: 0 })).toThrow();
    // Not everyone holds it yet: the room starts its group at open as before.
    expect(plans.claim(['ann', 'cy'] as ParticipantId[])).toBeUndefined();
    plans.ready(cy!, { planId: planId!, room: 0 });
    expect(plans.claim(['ann', 'cy', 'bob'] as ParticipantId[])).toBeUndefined();
    expect(plans.claim(['ann'] as ParticipantId[])).toBeUndefined();
    expect(plans.claim(['cy', 'ann'] as ParticipantId[])).toEqual({
      planId,
      room: 0,
      starter: 'ann',
    });
    expect(plans.claim(['cy', 'ann'] as ParticipantId[])).toBeUndefined();
  });

  it('the host who planned hears how many rooms are prepared, each time that number changes', () => {
    const { plans, add, sent } = setup();
    const host = add('host', 'host');
    const [ann, bob, cy, dee] = ['ann', 'bob', 'cy', 'dee'].map((n) => add(n));
    const threeRooms = { ...twoRooms, rooms: [...twoRooms.rooms, { name: 'C' }] };
    const progress = () =>
      sent
        .get('host')!
        .filter((ev) => ev.type === 'e2ee.planProgress')
        .map((ev) => ev);
    // ann, dee → room 0; bob → room 1; cy → room 2: nothing prepared yet.
    const { planId } = plans.prepare(host, threeRooms);
    expect(progress()).toEqual([{ type: 'e2ee.planProgress', planId, rooms: 3, ready: 0 }]);
    // A room of one is prepared as soon as its starter made the group.
    plans.welcome(bob!, { planId: planId!, room: 1, added: [] });
    plans.welcome(cy!, { planId: planId!, room: 2, added: [] });
    expect(progress().map((ev) => (ev as { ready: number }).ready)).toEqual([0, 1, 2]);
    // Room 0 only once dee, whom ann added, holds the group too.
    plans.welcome(ann!, {
      planId: planId!,
      room: 0,
      welcome: 'V2VsY29tZQ==',
      added: ['dee'] as ParticipantId[],
    });
    expect(progress()).toHaveLength(3);
    plans.ready(dee!, { planId: planId!, room: 0 });
    expect(progress().at(-1)).toEqual({ type: 'e2ee.planProgress', planId, rooms: 3, ready: 3 });
    // Nobody else hears it.
    for (const name of ['ann', 'bob', 'cy', 'dee'])
      expect(sent.get(name)!.some((ev) => ev.type === 'e2ee.planProgress')).toBe(false);
  });
});
