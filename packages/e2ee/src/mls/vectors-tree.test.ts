// mlswg interop vectors for the ratchet tree (RFC 9420 §4, §7), ciphersuite 1, against the
// wrapped ts-mls@1.6.4 with our patch (patches/ts-mls+1.6.4.patch). `tree-validation` also runs
// ts-mls's own join-time tree check (`validateRatchetTree`, RFC 9420 §12.4.3.1), the check the
// patch corrects: a valid tree from another implementation must be accepted.
import type { AuthenticationService, CiphersuiteImpl, GroupContext } from 'ts-mls';
import { defaultLifetimeConfig } from 'ts-mls';
import { validateRatchetTree } from 'ts-mls/clientState.js';
import { applyUpdatePathSecret } from 'ts-mls/createCommit.js';
import { getCiphersuiteNameFromId } from 'ts-mls/crypto/ciphersuite.js';
import { deriveSecret } from 'ts-mls/crypto/kdf.js';
import { verifyLeafNodeSignature } from 'ts-mls/leafNode.js';
import { verifyParentHashes } from 'ts-mls/parentHash.js';
import { getCommitSecret } from 'ts-mls/pathSecrets.js';
import { toPrivateKeyPath, type PrivateKeyPath } from 'ts-mls/privateKeyPath.js';
import { decodeProposal } from 'ts-mls/proposal.js';
import {
  addLeafNode,
  decodeRatchetTree,
  encodeRatchetTree,
  getHpkePublicKey,
  removeLeafNode,
  resolution,
  updateLeafNode,
  type RatchetTree,
} from 'ts-mls/ratchetTree.js';
import { treeHash, treeHashRoot } from 'ts-mls/treeHash.js';
import { leafToNodeIndex, nodeToLeafIndex, toLeafIndex, toNodeIndex } from 'ts-mls/treemath.js';
import { applyUpdatePath, createUpdatePath, decodeUpdatePath } from 'ts-mls/updatePath.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { MLS_SUITES } from '../../test/support/mls-suites';
import { readVectorJson } from '../../test/support/paths';
import { hex, toHex } from '../../test/support/sframe-vectors';

const SUITE = 1;
type Hex = string;
const forSuite = <T extends { cipher_suite: number }>(file: string): T[] =>
  readVectorJson<T[]>(`mls/${file}`).filter((x) => x.cipher_suite === SUITE);

let cs: CiphersuiteImpl;

function tree(bytes: Hex): RatchetTree {
  const t = decodeRatchetTree(hex(bytes), 0)?.[0];
  if (!t) throw new Error('undecodable ratchet tree');
  return t;
}

/** The vectors' credentials are not ours: accept any, the tree checks are what is tested. */
const anyCredential: AuthenticationService = { validateCredential: () => Promise.resolve(true) };

function groupContext(groupId: Hex, th: Uint8Array, epoch = 0n, cth = ''): GroupContext {
  return {
    version: 'mls10',
    cipherSuite: getCiphersuiteNameFromId(SUITE),
    groupId: hex(groupId),
    epoch,
    treeHash: th,
    confirmedTranscriptHash: hex(cth),
    extensions: [],
  };
}

describe.each(MLS_SUITES)('ciphersuite 1 implemented by %s', (_impl, make) => {
  beforeAll(async () => {
    cs = await make();
  });

  describe('tree-validation vectors (RFC 9420 §7.8 tree hash, §4.1.1 resolution, §7.9 parent hash)', () => {
    type V = {
      cipher_suite: number;
      tree: Hex;
      group_id: Hex;
      tree_hashes: Hex[];
      resolutions: number[][];
    };
    const cases = forSuite<V>('tree-validation.json');
    it.each(cases.map((c, i) => [i, c] as const))(
      'case %i: hashes, resolutions, signatures, and ts-mls accepts the tree on join',
      async (_i, v) => {
        const t = tree(v.tree);
        for (const [i, h] of v.tree_hashes.entries())
          expect(toHex(await treeHash(t, toNodeIndex(i), cs.hash))).toBe(h);
        for (const [i, r] of v.resolutions.entries())
          expect(resolution(t, toNodeIndex(i))).toEqual(r);
        expect(await verifyParentHashes(t, cs.hash)).toBe(true);
        for (const [i, n] of t.entries()) {
          if (n?.nodeType !== 'leaf') continue;
          const leaf = nodeToLeafIndex(toNodeIndex(i));
          expect(await verifyLeafNodeSignature(n.leaf, hex(v.group_id), leaf, cs.signature)).toBe(
            true,
          );
        }
        const th = await treeHashRoot(t, cs.hash);
        const err = await validateRatchetTree(
          t,
          groupContext(v.group_id, th),
          defaultLifetimeConfig,
          anyCredential,
          th,
          cs,
        );
        expect(err?.message).toBeUndefined();
      },
    );

    it('has unmerged leaves under non-blank parents in some case (so the join check is exercised)', () => {
      const withUnmerged = cases.filter((c) =>
        tree(c.tree).some((n) => n?.nodeType === 'parent' && n.parent.unmergedLeaves.length > 0),
      );
      expect(withUnmerged.length).toBeGreaterThan(0);
    });
  });

  describe('the join-time tree check rejects bad unmerged_leaves (RFC 9420 §7.9.2)', () => {
    type V = { cipher_suite: number; tree: Hex; group_id: Hex };
    const cases = forSuite<V>('tree-validation.json');

    /** Every (tree, parent, leaf) where `bad(parent, leaf)` holds, with the leaf added to the parent. */
    function doctored(bad: (t: RatchetTree, parent: number, leaf: number) => boolean) {
      const out: { v: V; t: RatchetTree }[] = [];
      for (const v of cases) {
        const t = tree(v.tree);
        for (const [i, n] of t.entries()) {
          if (n?.nodeType !== 'parent') continue;
          const leaf = Array.from({ length: (t.length + 1) / 2 }, (_, l) => l).find(
            (l) => !n.parent.unmergedLeaves.includes(l) && bad(t, i, l),
          );
          if (leaf === undefined) continue;
          const copy = [...t];
          copy[i] = {
            ...n,
            parent: { ...n.parent, unmergedLeaves: [...n.parent.unmergedLeaves, leaf] },
          };
          out.push({ v, t: copy });
          break;
        }
      }
      return out;
    }
    const under = (parent: number, leaf: number) => {
      // In the array layout a node's subtree is the contiguous range around it (RFC 9420 §4.1).
      const level = Math.log2((parent ^ (parent + 1)) + 1) - 1;
      const lo = parent - (2 ** level - 1);
      const hi = parent + (2 ** level - 1);
      return 2 * leaf >= lo && 2 * leaf <= hi;
    };

    async function rejection(v: V, t: RatchetTree): Promise<string | undefined> {
      const th = await treeHashRoot(t, cs.hash);
      return (
        await validateRatchetTree(
          t,
          groupContext(v.group_id, th),
          defaultLifetimeConfig,
          anyCredential,
          th,
          cs,
        )
      )?.message;
    }

    it('a listed leaf that is not below the parent is refused', async () => {
      const bad = doctored((t, p, l) => t[2 * l]?.nodeType === 'leaf' && !under(p, l));
      expect(bad.length).toBeGreaterThan(0);
      for (const { v, t } of bad)
        expect(await rejection(v, t)).toMatch(/non-blank descendant leaf/);
    });

    it('a listed leaf that is blank is refused', async () => {
      const bad = doctored((t, p, l) => t[2 * l] === undefined && under(p, l));
      expect(bad.length).toBeGreaterThan(0);
      for (const { v, t } of bad)
        expect(await rejection(v, t)).toMatch(/non-blank descendant leaf/);
    });
  });

  describe('tree-operations vectors (RFC 9420 §12.1 Add, Update, Remove applied to the tree)', () => {
    type V = {
      cipher_suite: number;
      proposal: Hex;
      proposal_sender: number;
      tree_before: Hex;
      tree_after: Hex;
      tree_hash_before: Hex;
      tree_hash_after: Hex;
    };
    it.each(forSuite<V>('tree-operations.json').map((c, i) => [i, c] as const))(
      'case %i',
      async (_i, v) => {
        const before = tree(v.tree_before);
        expect(toHex(await treeHashRoot(before, cs.hash))).toBe(v.tree_hash_before);
        const p = decodeProposal(hex(v.proposal), 0)?.[0];
        let after: RatchetTree;
        switch (p?.proposalType) {
          case 'add':
            after = addLeafNode(before, p.add.keyPackage.leafNode)[0];
            break;
          case 'update':
            after = updateLeafNode(before, p.update.leafNode, toLeafIndex(v.proposal_sender));
            break;
          case 'remove':
            after = removeLeafNode(before, toLeafIndex(p.remove.removed));
            break;
          default:
            throw new Error(`unexpected proposal ${p?.proposalType}`);
        }
        expect(toHex(encodeRatchetTree(after))).toBe(v.tree_after);
        expect(toHex(await treeHashRoot(after, cs.hash))).toBe(v.tree_hash_after);
      },
    );
  });

  describe('treekem vectors (RFC 9420 §7.4-§7.6 UpdatePath encryption and decryption)', () => {
    type Leaf = {
      index: number;
      encryption_priv: Hex;
      signature_priv: Hex;
      path_secrets: { node: number; path_secret: Hex }[];
    };
    type Path = {
      sender: number;
      update_path: Hex;
      path_secrets: (Hex | null)[];
      commit_secret: Hex;
      tree_hash_after: Hex;
    };
    type V = {
      cipher_suite: number;
      group_id: Hex;
      epoch: number;
      confirmed_transcript_hash: Hex;
      ratchet_tree: Hex;
      leaves_private: Leaf[];
      update_paths: Path[];
    };

    /** A leaf's private keys: its HPKE leaf key plus the node keys from its path secrets. */
    async function privatePath(l: Leaf): Promise<PrivateKeyPath> {
      const secrets: Record<number, Uint8Array> = {};
      for (const s of l.path_secrets) secrets[s.node] = hex(s.path_secret);
      const p = await toPrivateKeyPath(secrets, l.index, cs);
      return {
        ...p,
        privateKeys: {
          ...p.privateKeys,
          [leafToNodeIndex(toLeafIndex(l.index))]: hex(l.encryption_priv),
        },
      };
    }

    it.each(forSuite<V>('treekem.json').map((c, i) => [i, c.update_paths.length, c] as const))(
      'case %i (%i update paths): every receiver derives the path secret and commit secret',
      async (_i, _n, v) => {
        const t = tree(v.ratchet_tree);
        // The given path secrets match the public keys in the tree (RFC 9420 §7.4).
        for (const l of v.leaves_private) {
          for (const s of l.path_secrets) {
            const kp = await cs.hpke.deriveKeyPair(
              await deriveSecret(hex(s.path_secret), 'node', cs.kdf),
            );
            const node = t[s.node];
            if (!node) throw new Error('path secret for a blank node');
            expect(toHex(getHpkePublicKey(node))).toBe(
              toHex(await cs.hpke.exportPublicKey(kp.publicKey)),
            );
          }
        }
        const gc = groupContext(
          v.group_id,
          await treeHashRoot(t, cs.hash),
          BigInt(v.epoch),
          v.confirmed_transcript_hash,
        );
        const receivers = await Promise.all(v.leaves_private.map(privatePath));
        for (const path of v.update_paths) {
          const up = decodeUpdatePath(hex(path.update_path), 0)?.[0];
          if (!up) throw new Error('undecodable UpdatePath');
          const sender = toLeafIndex(path.sender);
          const applied = await applyUpdatePath(t, sender, up, cs.hash);
          const th = await treeHashRoot(applied, cs.hash);
          expect(toHex(th)).toBe(path.tree_hash_after);
          const ctx = { ...gc, treeHash: th };
          for (const r of receivers) {
            if (r.leafIndex === path.sender) {
              expect(path.path_secrets[r.leafIndex]).toBeNull();
              continue;
            }
            const got = await applyUpdatePathSecret(t, r, sender, ctx, up, [], cs);
            expect(toHex(got.pathSecret)).toBe(path.path_secrets[r.leafIndex]);
            expect(toHex(await getCommitSecret(t, got.nodeIndex, got.pathSecret, cs.kdf))).toBe(
              path.commit_secret,
            );
          }
          // Our side of it: an UpdatePath created by the sender decrypts to the same commit secret
          // for every receiver.
          const senderLeaf = v.leaves_private.find((l) => l.index === path.sender);
          if (!senderLeaf) continue;
          const [made, madePath, madeSecrets] = await createUpdatePath(
            applied,
            sender,
            ctx,
            hex(senderLeaf.signature_priv),
            cs,
          );
          const rootSecret = madeSecrets.at(-1);
          if (!rootSecret) throw new Error('no path secrets made');
          const expected = toHex(await deriveSecret(rootSecret.secret, 'path', cs.kdf));
          const next = { ...gc, epoch: gc.epoch + 1n, treeHash: await treeHashRoot(made, cs.hash) };
          for (const r of receivers) {
            if (r.leafIndex === path.sender) continue;
            const got = await applyUpdatePathSecret(t, r, sender, next, madePath, [], cs);
            expect(toHex(await getCommitSecret(t, got.nodeIndex, got.pathSecret, cs.kdf))).toBe(
              expected,
            );
          }
        }
      },
    );
  });
});
