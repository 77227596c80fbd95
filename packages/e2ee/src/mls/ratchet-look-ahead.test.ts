import { describe, expect, it, vi } from 'vitest';
import { createNodeBackend } from '../sframe/backend/node';
import { GroupSession } from './group-session';

const who = (i: number) => ({ userId: `u${i}`, displayName: `U${i}`, deviceId: `d${i}` });
const text = (s: string) => new TextEncoder().encode(s);
const read = (b: Uint8Array) => new TextDecoder().decode(b);

async function twoMembers() {
  const backend = createNodeBackend();
  const alice = await GroupSession.create(who(0), { backend });
  const bobJoin = await GroupSession.makeKeyPackage(who(1), undefined, backend);
  const { welcome } = await alice.addMembers([bobJoin.keyPackage]);
  const bob = await GroupSession.joinFromWelcome(welcome, bobJoin, { backend });
  const settled = () => Promise.all([alice.lookAheadSettled(), bob.lookAheadSettled()]);
  return { backend, alice, bob, settled };
}

describe('ratchet look-ahead (RFC 9420 §9.1 keys derived while idle)', () => {
  it('leaves a chat message only its sender-data key and nonce to derive on each side', async () => {
    const { backend, alice, bob, settled } = await twoMembers();
    await bob.openApplication(await alice.sealApplication(text('first')));
    await settled();
    const hmac = vi.spyOn(backend, 'hmac');
    const opened = await bob.openApplication(await alice.sealApplication(text('second')));
    expect(read(opened.data)).toBe('second');
    // RFC 9420 §6.3.2: ExpandWithLabel "key" and "nonce" from sender_data_secret, per side.
    expect(hmac).toHaveBeenCalledTimes(4);
  });

  it('still opens messages in order, out of order and across a key change, and refuses a replay', async () => {
    const { alice, bob, settled } = await twoMembers();
    const m1 = await alice.sealApplication(text('one'));
    await settled();
    const m2 = await alice.sealApplication(text('two'));
    const m3 = await alice.sealApplication(text('three'));
    expect(read((await bob.openApplication(m1)).data)).toBe('one');
    await settled();
    // m3 first: bob ratchets past generation 1 (kept as unused) with the look-ahead in place.
    expect(read((await bob.openApplication(m3)).data)).toBe('three');
    expect(read((await bob.openApplication(m2)).data)).toBe('two');
    await expect(bob.openApplication(m2)).rejects.toThrow();
    await settled();
    await expect(bob.openApplication(m3)).rejects.toThrow();
    // Bob answers (his own ratchet), then a key change: both sides derive the new epoch's keys.
    expect(read((await alice.openApplication(await bob.sealApplication(text('hi')))).data)).toBe(
      'hi',
    );
    await settled();
    const { commit } = await alice.commitChanges([], []);
    await bob.processCommit(commit);
    await settled();
    const m4 = await alice.sealApplication(text('new epoch'));
    expect(read((await bob.openApplication(m4)).data)).toBe('new epoch');
    await settled();
    await expect(bob.openApplication(m4)).rejects.toThrow();
    expect(read((await bob.openApplication(await alice.sealApplication(text('five')))).data)).toBe(
      'five',
    );
  });
});
