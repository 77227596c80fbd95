import { GroupSession } from '@conclave/e2ee';
import { createNodeBackend } from '@conclave/e2ee/node';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { toBase64 } from './base64';
import { E2eeEngine } from './engine';

// Issue 18: a prepared breakout group's security code and roster are worked out when it is made,
// so that its promotion at the move decodes nothing; each later epoch shows its own.
async function devices(names: string[]) {
  const backend = createNodeBackend();
  const engines = names.map(() => new E2eeEngine({ backend }));
  const ids = names.map((n) => ({ userId: `u-${n}`, displayName: n, deviceId: `d-${n}` }));
  await Promise.all(engines.map((e, i) => e.init(ids[i]!)));
  const expected = await Promise.all(
    engines.map(async (e, i) => ({
      ...ids[i]!,
      accountUserId: null,
      signatureKey: toBase64(await e.signingPublicKey()),
      present: true,
      admitted: true,
    })),
  );
  for (const e of engines) e.setExpectedDevices(expected);
  return { engines, ids };
}

describe('status of a prepared breakout group (issue 18)', () => {
  afterEach(() => vi.restoreAllMocks());

  it('is ready when the group is made: promoting decodes no credential', async () => {
    const { engines, ids } = await devices(['host', 'bea', 'cy']);
    const [host, bea, cy] = engines as [E2eeEngine, E2eeEngine, E2eeEngine];
    const main = await host.createGroup(
      [await bea.makeKeyPackage(), await cy.makeKeyPackage()],
      'downgrade',
    );
    await bea.joinFromWelcome(main.welcome!);
    await cy.joinFromWelcome(main.welcome!);
    const mainCode = bea.status().securityCode;

    const prepared = await bea.prepareGroup([await cy.makeKeyPackage()], 'downgrade');
    await cy.joinPrepared(prepared.welcome!);
    // Until promoted, the main group is what each shows.
    expect(cy.status().securityCode).toBe(mainCode);

    const members = vi.spyOn(GroupSession.prototype, 'members');
    const room = [ids[1]!.deviceId, ids[2]!.deviceId];
    expect(await bea.promotePrepared(room)).toEqual({ ok: true });
    expect(await cy.promotePrepared(room)).toEqual({ ok: true });
    const [b, c] = [bea.status(), cy.status()];
    expect(members).not.toHaveBeenCalled();

    expect(b.securityCode).not.toBe(mainCode);
    expect(c.securityCode).toBe(b.securityCode);
    expect(c.roster.map((m) => m.deviceId).sort()).toEqual(room.sort());
    expect(c.epoch).toBe(1);
  });

  it('shows each new epoch its own roster and code', async () => {
    const { engines } = await devices(['host', 'bea', 'cy']);
    const [host, bea, cy] = engines as [E2eeEngine, E2eeEngine, E2eeEngine];
    const first = await host.createGroup([await bea.makeKeyPackage()], 'downgrade');
    await bea.joinFromWelcome(first.welcome!);
    const before = bea.status();
    expect(before.roster).toHaveLength(2);

    const add = await host.commit([await cy.makeKeyPackage()], []);
    await bea.processCommit(add!.commit!);
    const after = bea.status();
    expect(after.epoch).toBe(before.epoch! + 1);
    expect(after.roster).toHaveLength(3);
    expect(after.securityCode).not.toBe(before.securityCode);
    expect(after.securityCode).toBe(host.status().securityCode);
  });
});
