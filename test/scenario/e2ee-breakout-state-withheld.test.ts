import { describe, expect, it } from 'vitest';
import type { Frame } from '../support/hostile-wire';
import {
  ROOMS,
  assign,
  bannersOf,
  carry,
  inGroupOf,
  isOpenState,
  preparedMeetingPerTest,
} from '../support/prepared-breakouts';

// Breakout rooms opened with no plan under E2EE (issue 18), by a server that withholds the rooms'
// breakout.state: each mover's `breakout.moved` names who its room holds, and until the state
// follows that list is what the device holds the server to. A KeyPackage of a device the move put
// elsewhere is refused by the room's first device, and a group it started for the move's list is
// left (with a warning naming who differs) when the state then shows other people in its room.

const until = async (ok: () => boolean, ms = 10_000) => {
  const deadline = Date.now() + ms;
  while (!ok() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
};

describe('breakout rooms whose state the server withholds: the move’s list is the room (E2EE)', () => {
  const meeting = preparedMeetingPerTest();

  it('a KeyPackage of a device the move put in another room is refused by the room’s first device, before any state of the rooms', async () => {
    const mt = await meeting();
    const [bea, cy, dee, eve] = mt.bots;
    // The server hands Bea's device Dee's KeyPackage with the start of Bea's room, where her
    // move did not put Dee, and holds the rooms' state back from her.
    const deeKp = Buffer.from(await dee.worker.engine.makeKeyPackage()).toString('base64');
    const held: Frame[] = [];
    mt.wires.get(bea)!.tap.incoming = (f) => {
      if (isOpenState(f)) return (held.push(f), []);
      if (f.type === 'e2ee.startGroup')
        return [
          {
            ...f,
            keyPackages: [
              ...(f.keyPackages as unknown[]),
              { participantId: dee.room.selfId!, keyPackage: deeKp },
            ],
          },
        ];
      return [f];
    };
    const banners = bannersOf(bea);
    const rosters: string[][] = [];
    bea.room.on('e2ee', (v) => rosters.push((v.local?.roster ?? []).map((r) => r.displayName)));
    await mt.host.room.openBreakouts({
      rooms: ROOMS,
      assignments: assign([
        [bea, cy],
        [dee, eve],
      ]),
      manualOnly: true,
    });
    await Promise.all([inGroupOf(bea, ['Bea', 'Cy']), inGroupOf(cy, ['Bea', 'Cy'])]);
    expect(bea.room.breakouts.status).toBe('none');
    expect(banners.some((t) => /claiming to be Dee: that device is in another room/.test(t))).toBe(
      true,
    );
    expect(rosters.filter((r) => r.includes('Dee') && !r.includes('Host bot'))).toEqual([]);
    expect(await carry(bea, dee)).toBeUndefined();
    expect(await carry(bea, cy)).toBeDefined();
    void eve;
  });

  it('the first device leaves the group it started for its move’s list when the rooms’ state then shows other people in its room', async () => {
    const mt = await meeting();
    const [bea, cy, dee] = mt.bots;
    // The server names Dee among Bea's room at Bea's move, hands her Dee's KeyPackage with the
    // start of the room and holds the rooms' state back; that state puts Dee in the other room.
    const deeKp = Buffer.from(await dee.worker.engine.makeKeyPackage()).toString('base64');
    const held: Frame[] = [];
    mt.wires.get(bea)!.tap.incoming = (f) => {
      if (isOpenState(f)) return (held.push(f), []);
      if (f.type === 'breakout.moved' && f.roomName !== null)
        return [{ ...f, members: [bea, cy, dee].map((b) => b.room.selfId!) }];
      if (f.type === 'e2ee.startGroup')
        return [
          {
            ...f,
            keyPackages: [
              ...(f.keyPackages as unknown[]),
              { participantId: dee.room.selfId!, keyPackage: deeKp },
            ],
          },
        ];
      return [f];
    };
    const banners = bannersOf(bea);
    const rosters: string[][] = [];
    bea.room.on('e2ee', (v) => rosters.push((v.local?.roster ?? []).map((r) => r.displayName)));
    await mt.host.room.openBreakouts({
      rooms: ROOMS,
      assignments: assign([
        [bea, cy],
        [mt.bots[2], mt.bots[3]],
      ]),
      manualOnly: true,
    });
    // Bea's device started the room's group for the move's list (Dee included); then the state.
    await until(() => rosters.some((r) => r.includes('Dee') && !r.includes('Host bot')));
    await until(() => held.length > 0);
    mt.wires.get(bea)!.tap.incoming = undefined;
    for (const f of held) mt.wires.get(bea)!.inject(f);
    await until(() => banners.some((t) => t.startsWith('Left this')));
    // Dee's leaf was in the group Bea started (her move named Dee); the state put Dee
    // elsewhere: she left it, and said so.
    expect(
      banners.some((t) =>
        /Left this breakout room's encrypted group: the server put other people in the room than it named when you moved \(Dee\)/.test(
          t,
        ),
      ),
    ).toBe(true);
    await inGroupOf(bea, ['Bea', 'Cy']);
    expect(await carry(bea, cy)).toBeDefined();
    expect(await carry(bea, dee)).toBeUndefined();
  });
});
