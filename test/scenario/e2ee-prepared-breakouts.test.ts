import { describe, expect, it, vi } from 'vitest';
import {
  MLS_AT_OPEN,
  ROOMS,
  assign,
  carry,
  code,
  inGroupOf,
  names,
  prepared,
  preparedMeetingPerTest,
} from '../support/prepared-breakouts';

// Prepared breakout groups (issue 18): while the host plans breakout rooms under E2EE, each
// planned room's group is built ahead as a pending group; opening the rooms as planned makes it
// each room's group with no Commit at open. Anything else falls back to starting the rooms'
// groups at open, and a device never promotes a pending group whose roster is not its room.

describe('breakout rooms prepared while the host plans them (E2EE)', () => {
  const meeting = preparedMeetingPerTest();

  it('opening as planned: each room is in its prepared group at once, no Commit at open, and only its own frames open', async () => {
    const { host, bots, wires, sent } = await meeting();
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
    expect(planId).toBeTruthy();
    await Promise.all(bots.map((b) => prepared(b, planId!)));
    // The host's panel hears that both rooms are prepared; nobody else hears of it.
    await vi.waitFor(() => expect(host.room.breakoutPlan).toEqual({ planId, rooms: 2, ready: 2 }));
    for (const b of bots) expect(b.room.breakoutPlan).toBeNull();
    // Preparing changed nobody's keys: everyone is still in the main group, same code.
    expect(new Set([host, ...bots].map(code)).size).toBe(1);
    expect(names(bea)).toEqual(['Bea', 'Cy', 'Dee', 'Eve', 'Host bot']);

    const seen = new Map(bots.map((b) => [b, wires.get(b)!.received.length]));
    const said = new Map(bots.map((b) => [b, sent.get(b)!.length]));
    await host.room.openBreakouts({ rooms: ROOMS, assignments, manualOnly: true });
    await Promise.all([
      inGroupOf(bea, ['Bea', 'Cy']),
      inGroupOf(cy, ['Bea', 'Cy']),
      inGroupOf(dee, ['Dee', 'Eve']),
      inGroupOf(eve, ['Dee', 'Eve']),
    ]);
    for (const b of bots) {
      const received = wires
        .get(b)!
        .received.slice(seen.get(b))
        .map((f) => String(f.type));
      // The group was ready: the device promoted it; no KeyPackage, Commit or Welcome at open.
      expect(received).toContain('e2ee.promote');
      expect(received.filter((t) => MLS_AT_OPEN.includes(t))).toEqual([]);
      expect(
        sent
          .get(b)!
          .slice(said.get(b))
          .filter((t) => t === 'e2ee.commit'),
      ).toEqual([]);
      expect(b.room.e2ee.view.local?.epoch).toBe(1);
      expect(b.room.e2ee.view.rosterMismatch).toEqual([]);
    }
    expect(code(bea)).toBe(code(cy));
    expect(code(dee)).toBe(code(eve));
    expect(new Set([code(bea), code(dee), code(host)]).size).toBe(3);
    expect(await carry(bea, cy)).toBeDefined();
    expect(await carry(eve, dee)).toBeDefined();
    expect(await carry(bea, dee)).toBeUndefined();
    expect(await carry(eve, cy)).toBeUndefined();
    expect(await carry(host, bea)).toBeUndefined();
    // Only the host's device may turn E2EE off in the prepared groups too.
    expect(bea.room.e2ee.view.local?.policy?.offKeys).toEqual(
      host.room.e2ee.view.local?.policy?.offKeys,
    );
  });

  it('the plan changed after preparing: the rooms open as clicked, each with its own group', async () => {
    const { host, bots, wires } = await meeting();
    const [bea, cy, dee, eve] = bots;
    const planned = assign([
      [bea, cy],
      [dee, eve],
    ]);
    const planId = await host.room.prepareBreakouts({
      rooms: ROOMS,
      assignments: planned,
      manualOnly: true,
    });
    await Promise.all(bots.map((b) => prepared(b, planId!)));
    const seen = new Map(bots.map((b) => [b, wires.get(b)!.received.length]));
    // Opened differently from the plan: no prepared group fits, every room starts its own.
    const opened = assign([
      [bea, dee],
      [cy, eve],
    ]);
    await host.room.openBreakouts({ rooms: ROOMS, assignments: opened, manualOnly: true });
    await Promise.all([
      inGroupOf(bea, ['Bea', 'Dee']),
      inGroupOf(dee, ['Bea', 'Dee']),
      inGroupOf(cy, ['Cy', 'Eve']),
      inGroupOf(eve, ['Cy', 'Eve']),
    ]);
    const received = bots.flatMap((b) =>
      wires
        .get(b)!
        .received.slice(seen.get(b))
        .map((f) => String(f.type)),
    );
    expect(received).not.toContain('e2ee.promote');
    expect(received.filter((t) => t === 'e2ee.startGroup')).toHaveLength(2);
    for (const b of bots) {
      expect(b.room.e2ee.prepared?.readyPlan).toBeNull();
      expect(b.room.e2ee.view.rosterMismatch).toEqual([]);
    }
    expect(await carry(bea, dee)).toBeDefined();
    expect(await carry(eve, cy)).toBeDefined();
    expect(await carry(bea, cy)).toBeUndefined();
  });

  it('a hostile server cannot make a device promote a prepared group whose members are not its room', async () => {
    const { host, bots, wires } = await meeting();
    const [bea, cy, dee, eve] = bots;
    // Planned: Bea, Cy and Dee together. Opened: Dee in the other room. An honest server falls
    // back; this one tells Bea's device to promote the group that still holds Dee anyway.
    const planId = await host.room.prepareBreakouts({
      rooms: ROOMS,
      assignments: assign([[bea, cy, dee], [eve]]),
      manualOnly: true,
    });
    await Promise.all(bots.map((b) => prepared(b, planId!)));
    wires.get(bea)!.tap.incoming = (f) => {
      if (f.type === 'e2ee.plan' && f.planId === null) return []; // never discarded
      if (f.type === 'breakout.state' && (f.state as { status: string }).status === 'open')
        return [f, { type: 'e2ee.promote', planId, room: 0 }];
      return [f];
    };
    const rosters: string[][] = [];
    bea.room.on('e2ee', (v) => rosters.push((v.local?.roster ?? []).map((r) => r.displayName)));
    const banners: string[] = [];
    bea.room.e2ee.on('banner', (b) => banners.push(b.text));
    await host.room.openBreakouts({
      rooms: ROOMS,
      assignments: assign([
        [bea, cy],
        [dee, eve],
      ]),
      manualOnly: true,
    });
    await Promise.all([
      inGroupOf(bea, ['Bea', 'Cy']),
      inGroupOf(cy, ['Bea', 'Cy']),
      inGroupOf(dee, ['Dee', 'Eve']),
    ]);
    // Refused and said so, like a committer's refusal; Dee never held Bea's room's key.
    expect(
      banners.some((t) => /Refused the encrypted group prepared.*Dee is not in this room/.test(t)),
    ).toBe(true);
    expect(rosters.filter((r) => r.includes('Dee') && !r.includes('Host bot'))).toEqual([]);
    expect(await carry(bea, dee)).toBeUndefined();
    expect(await carry(bea, cy)).toBeDefined();
  });

  it('only a host may plan breakout rooms', async () => {
    const { host, bots, wires } = await meeting();
    const [bea, cy] = bots;
    const before = wires.get(cy)!.received.length;
    await expect(
      bea.room.prepareBreakouts({ rooms: ROOMS, assignments: {}, manualOnly: false }),
    ).rejects.toMatchObject({ code: 'NOT_HOST' });
    // Nobody was told of a plan, so no device did MLS work for it.
    const after = wires
      .get(cy)!
      .received.slice(before)
      .map((f) => String(f.type));
    expect(after.filter((t) => t.startsWith('e2ee.'))).toEqual([]);
    expect(await host.room.prepareBreakouts({ rooms: ROOMS })).toBeTruthy();
  });
});
