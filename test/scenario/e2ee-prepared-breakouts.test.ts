import { afterEach, describe, expect, it } from 'vitest';
import { createMeeting } from '../support/browser';
import { joinBot, waitForView } from '../support/bots';
import type { Bot } from '../support/bots';
import { HostileWire } from '../support/hostile-wire';
import type { Frame } from '../support/hostile-wire';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';
import { SEND_SWITCH_DELAY_MS } from '../../packages/client/src/e2ee/timing';

// Prepared breakout groups (issue 18): while the host plans breakout rooms under E2EE, each
// planned room's group is built ahead as a pending group; opening the rooms as planned makes it
// each room's group with no Commit at open. Anything else falls back to starting the rooms'
// groups at open, and a device never promotes a pending group whose roster is not its room.

const ROOMS = [{ name: 'Room 1' }, { name: 'Room 2' }];
const MLS_AT_OPEN = ['e2ee.startGroup', 'e2ee.welcome', 'e2ee.pending', 'e2ee.keyPackageNeeded'];

interface Meeting {
  server: TestServer;
  host: Bot;
  bots: [Bot, Bot, Bot, Bot];
  wires: Map<Bot, HostileWire>;
  /** What each bot sent to the server (type only), in order. */
  sent: Map<Bot, string[]>;
}

const names = (b: Bot) => (b.room.e2ee.view.local?.roster ?? []).map((m) => m.displayName).sort();
const code = (b: Bot) => b.room.e2ee.view.local?.securityCode;

const inGroupOf = (b: Bot, who: string[]) =>
  waitForView(
    b,
    (v) =>
      v.local?.inGroup === true &&
      JSON.stringify(v.local.roster.map((m) => m.displayName).sort()) ===
        JSON.stringify([...who].sort()),
    15_000,
  );

/** One frame sealed by `from` opens on `to` (undefined: it does not). */
const carry = async (from: Bot, to: Bot) => {
  await new Promise((r) => setTimeout(r, SEND_SWITCH_DELAY_MS + 100));
  const sealed = await from.worker.engine.encryptFrame(new Uint8Array(64).fill(7), 'audio', false);
  return sealed ? to.worker.engine.decryptFrame(sealed, 'audio', false) : undefined;
};

/** Settles once `b` holds its pending group of `planId` (and its next spare is uploaded). */
async function prepared(b: Bot, planId: string): Promise<void> {
  const e2ee = b.room.e2ee;
  if (e2ee.prepared?.readyPlan !== planId)
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${b.name}: no prepared group`)), 15_000);
      const off = e2ee.on('prepared', (id) => {
        if (id !== planId) return;
        clearTimeout(timer);
        off();
        resolve();
      });
    });
  await e2ee.spareUploaded;
}

describe('breakout rooms prepared while the host plans them (E2EE)', () => {
  let m: Meeting | undefined;

  async function meeting(): Promise<Meeting> {
    const server = await startTestServer({});
    const created = await createMeeting(server.url);
    const host = await joinBot(server.url, created.meetingId, 'Host bot', created.hostKey);
    const wires = new Map<Bot, HostileWire>();
    const sent = new Map<Bot, string[]>();
    const bots: Bot[] = [];
    for (const n of ['Bea', 'Cy', 'Dee', 'Eve']) {
      const wire = new HostileWire();
      const out: string[] = [];
      wire.tap.outgoing = (f: Frame) => (out.push(String(f.type)), [f]);
      const bot = await joinBot(server.url, created.meetingId, n, undefined, { wire });
      wires.set(bot, wire);
      sent.set(bot, out);
      bots.push(bot);
    }
    await host.room.e2ee.enable();
    await Promise.all(
      [host, ...bots].map((b) => waitForView(b, (v) => v.local?.roster.length === 5)),
    );
    await Promise.all([host, ...bots].map((b) => b.room.e2ee.spareUploaded));
    m = { server, host, bots: bots as Meeting['bots'], wires, sent };
    return m;
  }

  afterEach(async () => {
    if (!m) return;
    for (const b of [m.host, ...m.bots]) await b.room.leave().catch(() => undefined);
    await m.server.stop();
    m = undefined;
  });

  const assign = (rooms: Bot[][]) =>
    Object.fromEntries(rooms.flatMap((bots, i) => bots.map((b) => [b.room.selfId!, i])));

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
