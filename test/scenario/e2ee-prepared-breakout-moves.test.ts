import { describe, expect, it } from 'vitest';
import type { Bot } from '../support/bots';
import type { Frame } from '../support/hostile-wire';
import {
  MLS_AT_OPEN,
  ROOMS,
  assign,
  bannersOf,
  carry,
  inGroupOf,
  isOpenState,
  prepared,
  preparedMeetingPerTest,
} from '../support/prepared-breakouts';

// Prepared breakout groups at the rooms' opening (issue 18): each moving device is told who its
// room holds with its own `breakout.moved` and promotes the group prepared for them at once,
// instead of waiting for the `breakout.state` sent once everyone has moved. That state must then
// show the same people in its room, or the device leaves the group again: the server chose both
// lists, and the room shown must be the group that holds the key.

describe('prepared breakout groups promoted at each device’s own move (E2EE)', () => {
  const meeting = preparedMeetingPerTest();

  it('each device is in its room’s prepared group before the rooms’ breakout.state reaches it, and that state then agrees', async () => {
    const { host, bots, wires } = await meeting();
    const [bea, cy, dee, eve] = bots;
    const assignments = assign([
      [bea, cy],
      [dee, eve],
    ]);
    const planId = await host.room.prepareBreakouts({
      rooms: ROOMS,
      assignments,
      manualOnly: true,
    });
    await Promise.all(bots.map((b) => prepared(b, planId!)));
    // The server's state of the opened rooms is held back from every bot.
    const held = new Map<Bot, Frame[]>(bots.map((b) => [b, []]));
    const seen = new Map(bots.map((b) => [b, wires.get(b)!.received.length]));
    const banners = new Map(bots.map((b) => [b, bannersOf(b)]));
    for (const b of bots)
      wires.get(b)!.tap.incoming = (f) => (isOpenState(f) ? (held.get(b)!.push(f), []) : [f]);

    await host.room.openBreakouts({ rooms: ROOMS, assignments, manualOnly: true });
    await Promise.all([
      inGroupOf(bea, ['Bea', 'Cy']),
      inGroupOf(cy, ['Bea', 'Cy']),
      inGroupOf(dee, ['Dee', 'Eve']),
      inGroupOf(eve, ['Dee', 'Eve']),
    ]);
    // In the room's group with no state of the rooms yet (the server sends it once all moved).
    for (const b of bots) expect(b.room.breakouts.status).toBe('none');
    const deadline = Date.now() + 5_000;
    while (bots.some((b) => held.get(b)!.length === 0) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));
    for (const b of bots) {
      // Promoted at its move, with no other MLS traffic.
      expect(held.get(b)).toHaveLength(1);
      const received = wires.get(b)!.received.slice(seen.get(b));
      const moved = received.find((f) => f.type === 'breakout.moved');
      expect((moved?.members as string[] | undefined)?.length).toBe(2);
      expect(received.map((f) => f.type)).toContain('e2ee.promote');
      expect(received.filter((f) => MLS_AT_OPEN.includes(String(f.type)))).toEqual([]);
      expect(b.room.e2ee.view.local?.epoch).toBe(1);
    }
    expect(await carry(bea, cy)).toBeDefined();
    expect(await carry(eve, dee)).toBeDefined();
    expect(await carry(bea, dee)).toBeUndefined();

    // The state arrives and shows the rooms as each move named them: nothing changes.
    for (const b of bots) {
      wires.get(b)!.tap.incoming = undefined;
      for (const f of held.get(b)!) wires.get(b)!.inject(f);
    }
    await new Promise((r) => setTimeout(r, 300));
    for (const b of bots) {
      expect(b.room.breakouts.status).toBe('open');
      expect(b.room.e2ee.view.local?.inGroup).toBe(true);
      expect(b.room.e2ee.view.local?.epoch).toBe(1);
      expect(b.room.e2ee.view.rosterMismatch).toEqual([]);
      expect(banners.get(b)).toEqual([]);
    }
    expect(await carry(cy, bea)).toBeDefined();
  });

  it('a device leaves the group it promoted at its move when the breakout.state then shows other people in its room', async () => {
    const { host, bots, wires } = await meeting();
    const [bea, cy, dee, eve] = bots;
    // Planned: Bea, Cy and Dee together. Opened: Dee in the other room. An honest server falls
    // back; this one names Dee among Bea's room at Bea's move, so that Bea's device promotes the
    // group that still holds Dee, and withholds the fresh start of Bea's room.
    const planId = await host.room.prepareBreakouts({
      rooms: ROOMS,
      assignments: assign([[bea, cy, dee], [eve]]),
      manualOnly: true,
    });
    await Promise.all(bots.map((b) => prepared(b, planId!)));
    wires.get(bea)!.tap.incoming = (f) => {
      if (f.type === 'e2ee.startGroup') return [];
      if (f.type === 'breakout.moved' && f.roomName !== null)
        return [
          { ...f, members: [bea, cy, dee].map((b) => b.room.selfId!) },
          { type: 'e2ee.promote', planId, room: 0 },
        ];
      return [f];
    };
    const banners = bannersOf(bea);
    const rosters: string[][] = [];
    bea.room.on('e2ee', (v) => rosters.push((v.local?.roster ?? []).map((r) => r.displayName)));
    await host.room.openBreakouts({
      rooms: ROOMS,
      assignments: assign([
        [bea, cy],
        [dee, eve],
      ]),
      manualOnly: true,
    });
    await inGroupOf(dee, ['Dee', 'Eve']);
    const deadline = Date.now() + 10_000;
    while (!banners.some((t) => t.startsWith('Left this')) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    // It did promote (the move named Dee), then the state put Dee elsewhere: it left, and said so.
    expect(rosters.some((r) => r.includes('Dee') && !r.includes('Host bot'))).toBe(true);
    expect(
      banners.some((t) =>
        /Left this breakout room's encrypted group: the server put other people in the room than it named when you moved \(Dee\)/.test(
          t,
        ),
      ),
    ).toBe(true);
    expect(bea.room.e2ee.view.local?.roster.map((r) => r.displayName) ?? []).not.toContain('Dee');
    // Nothing Bea's device seals opens on Dee's.
    expect(await carry(bea, dee)).toBeUndefined();
  });

  it('someone leaves after the rooms were prepared: the room still as planned promotes, the other starts its own group, and each works', async () => {
    const { host, bots, wires } = await meeting();
    const [bea, cy, dee, eve] = bots;
    const assignments = assign([
      [bea, cy],
      [dee, eve],
    ]);
    const planId = await host.room.prepareBreakouts({
      rooms: ROOMS,
      assignments,
      manualOnly: true,
    });
    await Promise.all(bots.map((b) => prepared(b, planId!)));
    await eve.room.leave();
    await inGroupOf(host, ['Host bot', 'Bea', 'Cy', 'Dee']);
    const seen = new Map(bots.map((b) => [b, wires.get(b)!.received.length]));
    await host.room.openBreakouts({ rooms: ROOMS, assignments, manualOnly: true });
    await Promise.all([
      inGroupOf(bea, ['Bea', 'Cy']),
      inGroupOf(cy, ['Bea', 'Cy']),
      inGroupOf(dee, ['Dee']),
    ]);
    const received = (b: Bot) =>
      wires
        .get(b)!
        .received.slice(seen.get(b))
        .map((f) => String(f.type));
    expect(received(bea)).toContain('e2ee.promote');
    expect(received(bea).filter((t) => MLS_AT_OPEN.includes(t))).toEqual([]);
    // Dee's room is not the planned one any more: its group starts at open, as before plans.
    expect(received(dee)).not.toContain('e2ee.promote');
    expect(received(dee)).toContain('e2ee.startGroup');
    // No warning as soon as each device is in its room's group: the old room's E2EE state,
    // queued behind the move's MLS work, no longer names people of the old room as keyless.
    for (const b of [bea, cy, dee]) expect(b.room.e2ee.view.rosterMismatch).toEqual([]);
    expect(await carry(bea, cy)).toBeDefined();
    expect(await carry(bea, dee)).toBeUndefined();
    expect(await carry(dee, cy)).toBeUndefined();
  });

  it('closing asked while the rooms are opening waits for every move: no device sees half a room, none leaves its group', async () => {
    const { host, bots, wires } = await meeting();
    const [bea, cy, dee, eve] = bots;
    const assignments = assign([
      [bea, cy],
      [dee, eve],
    ]);
    const planId = await host.room.prepareBreakouts({
      rooms: ROOMS,
      assignments,
      manualOnly: true,
    });
    await Promise.all(bots.map((b) => prepared(b, planId!)));
    const seen = new Map(bots.map((b) => [b, wires.get(b)!.received.length]));
    const banners = new Map(bots.map((b) => [b, bannersOf(b)]));
    // Close goes out right behind Open, on the same connection, before Open is answered.
    await Promise.all([
      host.room.openBreakouts({ rooms: ROOMS, assignments, manualOnly: true }),
      host.room.closeBreakouts(60),
    ]);
    await Promise.all([
      inGroupOf(bea, ['Bea', 'Cy']),
      inGroupOf(cy, ['Bea', 'Cy']),
      inGroupOf(dee, ['Dee', 'Eve']),
      inGroupOf(eve, ['Dee', 'Eve']),
    ]);
    const states = (b: Bot) =>
      wires
        .get(b)!
        .received.slice(seen.get(b))
        .filter((f) => f.type === 'breakout.state')
        .map((f) => f.state as { status: string; assignments: Record<string, string> });
    const deadline = Date.now() + 5_000;
    while (
      bots.some((b) => !states(b).some((st) => st.status === 'closing')) &&
      Date.now() < deadline
    )
      await new Promise((r) => setTimeout(r, 20));
    for (const b of bots) {
      expect(states(b).map((st) => st.status)).toEqual(['open', 'closing']);
      for (const st of states(b)) expect(Object.keys(st.assignments)).toHaveLength(4);
      expect(banners.get(b)).toEqual([]);
      expect(b.room.e2ee.view.local?.inGroup).toBe(true);
    }
  });
});
