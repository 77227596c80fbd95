import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMeeting } from '../support/browser';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';
import { WsClient } from '../support/ws-client';

interface Joined {
  participantId: string;
  resumeToken: string;
  breakouts: { rooms: { id: string }[]; assignments: Record<string, string> };
}
type State = { status: string; rooms: { id: string }[]; assignments: Record<string, string> };

const ok = { ok: true };
const isState = (m: Record<string, unknown>) => m.type === 'breakout.state';
const stateOf = (m: Record<string, unknown>) => m.state as State;

async function joined(c: WsClient, meetingId: string, name: string, extra = {}) {
  const res = await c.join(meetingId, name, extra);
  expect(res).toMatchObject(ok);
  return res.result as Joined;
}

/** The next breakout state `c` is sent that matches `check` (earlier ones are skipped). */
async function stateWhere(c: WsClient, check: (s: State) => boolean): Promise<State> {
  return stateOf(await c.next((m) => isState(m) && check(stateOf(m))));
}

// Host and co-host visits to breakout rooms, over real WebSockets against a real server.
describe('breakout rooms: the host visits', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ reconnectGraceSeconds: 1 });
  });
  afterAll(async () => {
    await server?.stop();
  });

  async function meetingWithRooms() {
    const { meetingId, hostKey } = await createMeeting(server.url);
    const host = await WsClient.connect(server.url);
    const hostJoin = await joined(host, meetingId, 'Hana', { hostKey });
    const ann = await WsClient.connect(server.url);
    const annJoin = await joined(ann, meetingId, 'Ann');
    const bob = await WsClient.connect(server.url);
    const bobJoin = await joined(bob, meetingId, 'Bob');
    expect(
      await host.request({
        type: 'breakout.open',
        rooms: [{ name: 'Room 1' }, { name: 'Room 2' }],
        assignments: { [annJoin.participantId]: 0, [bobJoin.participantId]: 1 },
      }),
    ).toMatchObject(ok);
    const opened = await stateWhere(host, (st) => st.status === 'open');
    // Drain the moves that opening made, so the tests see only their own.
    for (const c of [ann, bob]) await c.next((m) => m.type === 'breakout.moved');
    return { meetingId, hostKey, host, hostJoin, ann, annJoin, bob, bobJoin, rooms: opened.rooms };
  }

  it('a participant cannot move themselves and a bad room index is a typed error', async () => {
    const { host, ann, bob } = await meetingWithRooms();
    expect(await ann.request({ type: 'breakout.join', roomIndex: 1 })).toMatchObject({
      ok: false,
      error: { code: 'NOT_HOST' },
    });
    expect(await host.request({ type: 'breakout.join', roomIndex: 5 })).toMatchObject({
      ok: false,
      error: { code: 'BREAKOUT_ROOM_NOT_FOUND' },
    });
    expect(await host.request({ type: 'breakout.join', roomIndex: 25 })).toMatchObject({
      ok: false,
      error: { code: 'MESSAGE_MALFORMED' },
    });
    expect(ann.messages.some((m) => m.type === 'breakout.moved')).toBe(false);
    expect(host.messages.some((m) => m.type === 'breakout.moved')).toBe(false);
    for (const c of [host, ann, bob]) c.close();
  });

  it('the host joins the room of someone asking for help, keeps host powers there, and returns', async () => {
    const { host, hostJoin, ann, annJoin, bob, bobJoin, rooms } = await meetingWithRooms();
    expect(await ann.request({ type: 'breakout.help' })).toMatchObject(ok);
    const help = await host.next((m) => m.type === 'breakout.helpRequested');
    expect(help).toMatchObject({ displayName: 'Ann', roomName: 'Room 1', roomIndex: 0 });

    expect(await host.request({ type: 'breakout.join', roomIndex: help.roomIndex })).toMatchObject(
      ok,
    );
    expect(await host.next((m) => m.type === 'breakout.moved')).toMatchObject({
      roomName: 'Room 1',
    });
    await stateWhere(ann, (st) => st.assignments[hostJoin.participantId] === rooms[0]?.id);
    // Still the host from inside a room: message all rooms, move someone.
    expect(await host.request({ type: 'breakout.broadcast', text: 'Hello' })).toMatchObject(ok);
    expect(await bob.next((m) => m.type === 'breakout.message')).toMatchObject({ text: 'Hello' });
    expect(
      await host.request({
        type: 'breakout.move',
        participantId: bobJoin.participantId,
        roomIndex: 0,
      }),
    ).toMatchObject(ok);
    await stateWhere(bob, (st) => st.assignments[bobJoin.participantId] === rooms[0]?.id);

    expect(await host.request({ type: 'breakout.join', roomIndex: null })).toMatchObject(ok);
    expect(await host.next((m) => m.type === 'breakout.moved')).toMatchObject({ roomName: null });
    const back = await stateWhere(ann, (st) => !(hostJoin.participantId in st.assignments));
    expect(back.assignments[annJoin.participantId]).toBe(rooms[0]?.id);
    for (const c of [host, ann, bob]) c.close();
  });

  it('a host who reconnects while visiting is still in the room, and closing brings everyone back', async () => {
    const { meetingId, host, hostJoin, ann, bob, rooms } = await meetingWithRooms();
    expect(await host.request({ type: 'breakout.join', roomIndex: 1 })).toMatchObject(ok);
    host.terminate();
    const again = await WsClient.connect(server.url);
    const resumed = await joined(again, meetingId, 'Hana', { resumeToken: hostJoin.resumeToken });
    expect(resumed.participantId).toBe(hostJoin.participantId);
    expect(resumed.breakouts.assignments[hostJoin.participantId]).toBe(rooms[1]?.id);

    expect(await again.request({ type: 'breakout.close', countdownSeconds: 0 })).toMatchObject(ok);
    for (const c of [again, ann, bob])
      expect(await c.next((m) => m.type === 'breakout.moved' && m.roomName === null)).toBeDefined();
    const after = await stateWhere(ann, (st) => st.status === 'none');
    expect(after).toMatchObject({ rooms: [], assignments: {} });
    for (const c of [again, ann, bob]) c.close();
  });

  it('a host who leaves while visiting leaves the rooms working for everyone else', async () => {
    const { meetingId, hostKey, host, hostJoin, ann, annJoin } = await meetingWithRooms();
    expect(await host.request({ type: 'breakout.join', roomIndex: 0 })).toMatchObject(ok);
    expect(await host.request({ type: 'leave' })).toMatchObject(ok);
    expect(
      await ann.next(
        (m) => m.type === 'participant.left' && m.participantId === hostJoin.participantId,
      ),
    ).toBeDefined();
    expect(await ann.request({ type: 'breakout.help' })).toMatchObject(ok);
    // A host who comes back starts in the main room and can visit and close.
    const next = await WsClient.connect(server.url);
    const nextJoin = await joined(next, meetingId, 'Hana again', { hostKey });
    expect(nextJoin.breakouts.assignments[nextJoin.participantId]).toBeUndefined();
    expect(nextJoin.breakouts.assignments[annJoin.participantId]).toBeDefined();
    expect(await next.request({ type: 'breakout.join', roomIndex: 0 })).toMatchObject(ok);
    expect(await next.request({ type: 'breakout.close', countdownSeconds: 0 })).toMatchObject(ok);
    expect(
      await next.next((m) => m.type === 'breakout.moved' && m.roomName === null),
    ).toBeDefined();
    for (const c of [next, ann]) c.close();
  });
});
