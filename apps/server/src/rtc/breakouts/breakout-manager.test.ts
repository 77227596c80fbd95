import type { ParticipantId, ServerEvent } from '@conclave/protocol';
import type { Router } from '@conclave/sfu';
import { describe, expect, it } from 'vitest';
import type { SignalingPeer } from '../../signaling/peer';
import { RoomParticipant } from '../participant';
import { BreakoutManager } from './breakout-manager';

function setup() {
  const people = new Map<ParticipantId, RoomParticipant>();
  const events: ServerEvent[] = [];
  const moves: [string, string | null][] = [];
  /** Who each mover was told its room holds, at its move. */
  const told = new Map<string, string[]>();
  let routersClosed = 0;
  const mgr = new BreakoutManager({
    participants: () => people.values(),
    get: (id) => people.get(id),
    broadcast: (ev) => events.push(ev),
    createRouter: async () => ({ close: () => void routersClosed++ }) as unknown as Router,
    moveMedia: async (p, room) => {
      moves.push([p.displayName, room?.name ?? null]);
      if (room) told.set(p.displayName, [...room.members]);
    },
    serial: (fn) => fn(),
  });
  const sent = new Map<string, ServerEvent[]>();
  const add = (name: string, role: 'host' | 'participant' = 'participant') => {
    const inbox: ServerEvent[] = [];
    sent.set(name, inbox);
    const peer: SignalingPeer = { send: (ev) => void inbox.push(ev), close: () => undefined };
    const p = new RoomParticipant({
      id: name as ParticipantId,
      resumeToken: name,
      displayName: name,
      role,
      peer,
      e2eeCapable: true,
      clientLabel: 'test',
    });
    people.set(p.id, p);
    return p;
  };
  return { mgr, add, events, moves, told, sent, routersClosed: () => routersClosed };
}

const twoRooms = {
  rooms: [{ name: 'R1' }, { name: 'R2' }],
  assignments: {},
  manualOnly: false,
  durationMinutes: null,
};

describe('breakout rooms', () => {
  it('assigns the unassigned round robin, keeps the host in the main room, and only the host may open', async () => {
    const { mgr, add, moves } = setup();
    const host = add('host', 'host');
    const [a, b, c] = [add('a'), add('b'), add('c')];
    await expect(
      mgr.open(a, {
        rooms: [{ name: 'R1' }],
        assignments: {},
        manualOnly: false,
        durationMinutes: null,
      }),
    ).rejects.toMatchObject({ code: 'NOT_HOST' });
    await mgr.open(host, {
      rooms: [{ name: 'R1' }, { name: 'R2' }],
      assignments: { c: 0 },
      manualOnly: false,
      durationMinutes: null,
    });
    const view = mgr.view();
    const roomOf = (id: string) => view.rooms.find((r) => r.id === view.assignments[id])?.name;
    expect([roomOf('a'), roomOf('b'), roomOf('c'), roomOf('host')]).toEqual([
      'R1',
      'R2',
      'R1',
      undefined,
    ]);
    expect(moves.map(([n]) => n).sort()).toEqual(['a', 'b', 'c']);
    void b;
    void c;
  });

  it('each mover is told, at its own move, everyone its room will hold: what the state then says', async () => {
    const { mgr, add, told, events } = setup();
    const host = add('host', 'host');
    for (const n of ['a', 'b', 'c', 'd', 'e']) add(n);
    await mgr.open(host, twoRooms);
    // Told before the others moved (the first mover already hears of the last one).
    expect(told.get('a')).toEqual(['a', 'c', 'e']);
    expect(told.get('b')).toEqual(['b', 'd']);
    const state = events.findLast((e) => e.type === 'breakout.state');
    const view = state?.type === 'breakout.state' ? state.state : undefined;
    for (const [name, members] of told) {
      const room = view?.assignments[name];
      const inRoom = Object.keys(view?.assignments ?? {}).filter(
        (id) => view?.assignments[id] === room,
      );
      expect(members.sort()).toEqual(inRoom.sort());
    }
    // A single move (here a host visiting): the room as it is with the mover in it.
    await mgr.visit(host, 1);
    expect(told.get('host')?.sort()).toEqual(['b', 'd', 'host']);
  });

  it('closing counts down, then brings everyone back and closes the rooms’ routers', async () => {
    const { mgr, add, moves, routersClosed, events } = setup();
    const host = add('host', 'host');
    add('a');
    await mgr.open(host, {
      rooms: [{ name: 'R1' }],
      assignments: {},
      manualOnly: false,
      durationMinutes: null,
    });
    mgr.close(host, 0);
    expect(mgr.view().status).toBe('closing');
    await new Promise((r) => setTimeout(r, 20));
    expect(mgr.view()).toMatchObject({ status: 'none', rooms: [], assignments: {} });
    expect(moves.at(-1)).toEqual(['a', null]);
    expect(routersClosed()).toBe(1);
    expect(events.filter((e) => e.type === 'breakout.state').length).toBeGreaterThanOrEqual(3);
  });

  it('a host visits a room and returns; a participant cannot move themselves', async () => {
    const { mgr, add, moves } = setup();
    const host = add('host', 'host');
    const a = add('a');
    add('b');
    await expect(mgr.visit(host, 0)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await mgr.open(host, twoRooms);
    moves.length = 0;
    await expect(mgr.visit(a, 1)).rejects.toMatchObject({ code: 'NOT_HOST' });
    await expect(mgr.visit(host, 7)).rejects.toMatchObject({ code: 'BREAKOUT_ROOM_NOT_FOUND' });
    expect(moves).toEqual([]);
    await mgr.visit(host, 1);
    const view = mgr.view();
    expect(view.assignments.host).toBe(view.rooms[1]?.id);
    expect(moves).toEqual([['host', 'R2']]);
    // Visiting the room one is in rebuilds nothing.
    await mgr.visit(host, 1);
    expect(moves).toHaveLength(1);
    // Host powers stay while visiting.
    await mgr.move(host, a, 1);
    expect(mgr.broadcastMessage(host, 'hi')).toBeNull();
    await mgr.visit(host, null);
    expect(mgr.view().assignments.host).toBeUndefined();
    expect(moves.at(-1)).toEqual(['host', null]);
  });

  it('a help request names the room index, and closing brings a visiting host back', async () => {
    const { mgr, add, moves, sent } = setup();
    const host = add('host', 'host');
    const a = add('a');
    await mgr.open(host, { ...twoRooms, assignments: { a: 1 } });
    mgr.help(a);
    expect(sent.get('host')).toContainEqual({
      type: 'breakout.helpRequested',
      participantId: 'a',
      displayName: 'a',
      roomName: 'R2',
      roomIndex: 1,
    });
    await mgr.visit(host, 1);
    mgr.close(host, 0);
    await new Promise((r) => setTimeout(r, 20));
    expect(mgr.view()).toMatchObject({ status: 'none', assignments: {} });
    expect(moves.slice(-2).sort()).toEqual([
      ['a', null],
      ['host', null],
    ]);
  });
});
