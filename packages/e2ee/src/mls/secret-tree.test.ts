// The RFC 9420 §9 secret tree is derived on demand (patches/ts-mls+1.6.4.patch, secretTree.js):
// a join or commit no longer derives every node and a ratchet pair for each of them. The keys
// themselves are checked against the RFC's secret-tree vectors (vectors.test.ts).
import { defaultKeyRetentionConfig, type CiphersuiteImpl } from 'ts-mls';
import { createSecretTree, ratchetToGeneration } from 'ts-mls/secretTree.js';
import type { ReuseGuard } from 'ts-mls/sender.js';
import { describe, expect, it } from 'vitest';
import { createNodeBackend } from '../node';
import { GroupSession } from './group-session';
import { mlsSuite } from './mls-suite';

/** The suite with every HKDF-Expand counted. */
async function countingSuite(): Promise<{ cs: CiphersuiteImpl; expands: () => number }> {
  const base = await mlsSuite(createNodeBackend());
  let n = 0;
  const kdf = {
    ...base.kdf,
    expand: (prk: Uint8Array, info: Uint8Array, len: number) => {
      n++;
      return base.kdf.expand(prk, info, len);
    },
  };
  return { cs: { ...base, kdf }, expands: () => n };
}

const sender = (leafIndex: number) => ({
  leafIndex,
  generation: 0,
  reuseGuard: new Uint8Array(4) as ReuseGuard,
});

describe('secret tree derived on demand (RFC 9420 §9)', () => {
  it('a new epoch derives no tree secret until someone sends', async () => {
    const { cs, expands } = await countingSuite();
    await createSecretTree(8, new Uint8Array(32).fill(7), cs.kdf);
    // Eager ts-mls: 14 child secrets and a ratchet pair for each of the 15 nodes (44).
    expect(expands()).toBe(0);
  });

  it("a sender's first message derives only its path and its own ratchets, and the used parents are gone", async () => {
    const { cs, expands } = await countingSuite();
    const tree = await createSecretTree(8, new Uint8Array(32).fill(7), cs.kdf);
    const first = await ratchetToGeneration(
      tree,
      sender(5),
      'application',
      defaultKeyRetentionConfig,
      cs,
    );
    // 3 levels x (left, right) + the leaf's 2 ratchet roots + next secret, key and nonce.
    expect(expands()).toBe(6 + 2 + 3);
    // §9.2: a tree_node_secret is deleted once its children are derived.
    expect(first.newTree[7]).toBeUndefined();
    // Another sender under an already derived node derives only what is still missing.
    const before = expands();
    const second = await ratchetToGeneration(
      first.newTree,
      sender(4),
      'application',
      defaultKeyRetentionConfig,
      cs,
    );
    expect(expands() - before).toBe(2 + 3);
    // The first tree is unchanged (state objects are immutable): deriving again gives the same key.
    const again = await ratchetToGeneration(
      tree,
      sender(4),
      'application',
      defaultKeyRetentionConfig,
      cs,
    );
    expect(again.key).toEqual(second.key);
  });

  it('every member of a group reads every other member, whoever sends first', async () => {
    const who = (i: number) => ({ userId: `u${i}`, displayName: `U${i}`, deviceId: `d${i}` });
    const backend = createNodeBackend();
    const a = await GroupSession.create(who(0), { backend });
    const pending = await Promise.all(
      [1, 2, 3, 4].map((i) => GroupSession.makeKeyPackage(who(i), undefined, backend)),
    );
    const { welcome } = await a.addMembers(pending.map((p) => p.keyPackage));
    const others = await Promise.all(
      pending.map((p) => GroupSession.joinFromWelcome(welcome, p, { backend })),
    );
    const all = [a, ...others];
    for (const from of [...all].reverse()) {
      const sealed = await from.sealApplication(
        new TextEncoder().encode(`from ${from.ownLeafIndex}`),
      );
      for (const to of all.filter((s) => s !== from)) {
        const opened = await to.openApplication(sealed);
        expect(new TextDecoder().decode(opened.data)).toBe(`from ${from.ownLeafIndex}`);
      }
    }
  });
});
