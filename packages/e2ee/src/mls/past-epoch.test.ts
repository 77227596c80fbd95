import { afterEach, describe, expect, it, vi } from 'vitest';
import { GroupSession, PAST_EPOCH_GRACE_MS } from './group-session';

const who = (i: number) => ({ userId: `u${i}`, displayName: `U${i}`, deviceId: `d${i}` });
const text = (s: string) => new TextEncoder().encode(s);

/** Alice, Bob and Carol in one group; returns their sessions. */
async function threeMembers() {
  const alice = await GroupSession.create(who(0));
  const bob = await GroupSession.makeKeyPackage(who(1));
  const carol = await GroupSession.makeKeyPackage(who(2));
  const { welcome } = await alice.addMembers([bob.keyPackage, carol.keyPackage]);
  return {
    alice,
    bob: await GroupSession.joinFromWelcome(welcome, bob),
    carol: await GroupSession.joinFromWelcome(welcome, carol),
  };
}

describe('a chat message sent across a key change (RFC 9420 §15.2)', () => {
  afterEach(() => vi.restoreAllMocks());

  it('opens on a member that processed the commit first, with the sender of its epoch; a replay is refused', async () => {
    const { alice, bob, carol } = await threeMembers();
    // Bob writes in epoch 1; Alice removes Carol before Bob's message reaches anyone.
    const inFlight = await bob.sealApplication(text('sent before the key change'));
    const carolLeaf = alice.members().find((m) => m.identity.userId === 'u2')!.leafIndex;
    const { commit } = await alice.removeMembers([carolLeaf]);
    await bob.processCommit(commit);
    expect(alice.epoch).toBe(2n);
    const opened = await alice.openApplication(inFlight);
    expect(new TextDecoder().decode(opened.data)).toBe('sent before the key change');
    expect(opened.epoch).toBe(1n);
    expect(opened.senderIdentity.userId).toBe('u1');
    // The past epoch's generation ratchet consumed that key: the same bytes do not open twice.
    await expect(alice.openApplication(inFlight)).rejects.toThrow();
    // Carol, removed, cannot open anything of the new epoch.
    const after = await bob.sealApplication(text('after'));
    await expect(carol.openApplication(after)).rejects.toThrow();
  });

  it('no longer opens once the grace period after the key change has passed', async () => {
    const { alice, bob } = await threeMembers();
    const inFlight = await bob.sealApplication(text('late'));
    const { commit } = await alice.commitChanges([], []);
    await bob.processCommit(commit);
    const now = Date.now();
    vi.spyOn(Date, 'now').mockReturnValue(now + PAST_EPOCH_GRACE_MS + 1);
    await expect(alice.openApplication(inFlight)).rejects.toThrow(/epoch/);
  });
});
