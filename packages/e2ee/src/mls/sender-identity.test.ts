import { describe, expect, it } from 'vitest';
import { GroupSession } from './group-session';

const who = (i: number) => ({ userId: `u${i}`, displayName: `U${i}`, deviceId: `d${i}` });
const text = (s: string) => new TextEncoder().encode(s);

describe('the sender of an application message (issue 18: chat under E2EE)', () => {
  it('is decoded once per leaf credential, not once per message a reader opens', async () => {
    const alice = await GroupSession.create(who(0));
    const bob = await GroupSession.makeKeyPackage(who(1));
    const carol = await GroupSession.makeKeyPackage(who(2));
    const { welcome } = await alice.addMembers([bob.keyPackage, carol.keyPackage]);
    const bobs = await GroupSession.joinFromWelcome(welcome, bob);
    const carols = await GroupSession.joinFromWelcome(welcome, carol);

    const first = await alice.openApplication(await bobs.sealApplication(text('one')));
    const second = await alice.openApplication(await bobs.sealApplication(text('two')));
    const fromCarol = await alice.openApplication(await carols.sealApplication(text('three')));

    expect(second.senderIdentity).toBe(first.senderIdentity);
    expect(first.senderIdentity).toEqual(who(1));
    expect(fromCarol.senderIdentity).toEqual(who(2));
    // Every reader of the roster shares it: nobody can rename a sender for the others.
    expect(Object.isFrozen(first.senderIdentity)).toBe(true);
    expect(alice.members().find((m) => m.identity.userId === 'u1')?.identity).toBe(
      first.senderIdentity,
    );
  });
});
