// mlswg interop vectors (shared/vectors/mls, see its README) against the wrapped ts-mls@1.6.4,
// ciphersuite 1 (MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519) — the only suite whose optional
// peer dependencies we install. Functions come from ts-mls's public entry and its published
// `ts-mls/<module>.js` subpath exports (1.6.4 exposes its modules that way).
import {
  bytesToBase64,
  decodeMlsMessage,
  emptyPskIndex,
  joinGroup,
  makePskIndex,
  mlsExporter,
  processPrivateMessage,
  processPublicMessage,
  type CiphersuiteImpl,
  type ClientState,
  type GroupContext,
  type PrivateKeyPackage,
} from 'ts-mls';
import { getCiphersuiteNameFromId } from 'ts-mls/crypto/ciphersuite.js';
import { refhash } from 'ts-mls/crypto/hash.js';
import { decryptWithLabel, encryptWithLabel } from 'ts-mls/crypto/hpke.js';
import { deriveSecret, deriveTreeSecret, expandWithLabel } from 'ts-mls/crypto/kdf.js';
import { signWithLabel, verifyWithLabel } from 'ts-mls/crypto/signature.js';
import { encodeGroupContext } from 'ts-mls/groupContext.js';
import { verifyGroupInfoConfirmationTag, verifyGroupInfoSignature } from 'ts-mls/groupInfo.js';
import { makeKeyPackageRef } from 'ts-mls/keyPackage.js';
import { initializeEpoch } from 'ts-mls/keySchedule.js';
import { defaultKeyRetentionConfig } from 'ts-mls/keyRetentionConfig.js';
import { decodeRatchetTree } from 'ts-mls/ratchetTree.js';
import { createSecretTree, ratchetToGeneration } from 'ts-mls/secretTree.js';
import { expandSenderDataKey, expandSenderDataNonce, type ReuseGuard } from 'ts-mls/sender.js';
import { left, nodeWidth, parent, right, root, sibling, toNodeIndex } from 'ts-mls/treemath.js';
import { constantTimeEqual } from 'ts-mls/util/constantTimeCompare.js';
import { decryptGroupInfo, decryptGroupSecrets } from 'ts-mls/welcome.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { MLS_SUITES } from '../../test/support/mls-suites';
import { readVectorJson } from '../../test/support/paths';
import { hex, toHex } from '../../test/support/sframe-vectors';

const SUITE = 1;
type Hex = string;
const forSuite = <T extends { cipher_suite: number }>(file: string): T[] =>
  readVectorJson<T[]>(`mls/${file}`).filter((x) => x.cipher_suite === SUITE);

let cs: CiphersuiteImpl;

describe.each(MLS_SUITES)('ciphersuite 1 implemented by %s', (_impl, make) => {
  beforeAll(async () => {
    cs = await make();
  });

  describe('tree-math vectors (RFC 9420 §4.1, Appendix C)', () => {
    type T = { n_leaves: number; n_nodes: number; root: number } & Record<
      'left' | 'right' | 'parent' | 'sibling',
      (number | null)[]
    >;
    const cases = readVectorJson<T[]>('mls/tree-math.json');
    it.each(cases.map((c) => [c.n_leaves, c] as const))('matches for %i leaves', (_n, t) => {
      expect(nodeWidth(t.n_leaves)).toBe(t.n_nodes);
      expect(root(t.n_leaves)).toBe(t.root);
      const check = (expected: (number | null)[], f: (i: number) => number) => {
        for (const [i, e] of expected.entries()) {
          if (e === null) expect(() => f(i)).toThrow();
          else expect(f(i)).toBe(e);
        }
      };
      check(t.left, (i) => left(toNodeIndex(i)));
      check(t.right, (i) => right(toNodeIndex(i)));
      check(t.parent, (i) => parent(toNodeIndex(i), t.n_leaves));
      check(t.sibling, (i) => sibling(toNodeIndex(i), t.n_leaves));
    });
  });

  describe('crypto-basics vectors (RFC 9420 §5)', () => {
    type C = {
      cipher_suite: number;
      ref_hash: { label: string; value: Hex; out: Hex };
      expand_with_label: { secret: Hex; label: string; context: Hex; length: number; out: Hex };
      derive_secret: { secret: Hex; label: string; out: Hex };
      derive_tree_secret: {
        secret: Hex;
        label: string;
        generation: number;
        length: number;
        out: Hex;
      };
      sign_with_label: { priv: Hex; pub: Hex; content: Hex; label: string; signature: Hex };
      encrypt_with_label: {
        priv: Hex;
        pub: Hex;
        label: string;
        context: Hex;
        plaintext: Hex;
        kem_output: Hex;
        ciphertext: Hex;
      };
    };
    it.each(forSuite<C>('crypto-basics.json').map((c) => [c.cipher_suite, c] as const))(
      'suite %i',
      async (_s, c) => {
        expect(toHex(await refhash(c.ref_hash.label, hex(c.ref_hash.value), cs.hash))).toBe(
          c.ref_hash.out,
        );
        const e = c.expand_with_label;
        expect(
          toHex(await expandWithLabel(hex(e.secret), e.label, hex(e.context), e.length, cs.kdf)),
        ).toBe(e.out);
        expect(
          toHex(await deriveSecret(hex(c.derive_secret.secret), c.derive_secret.label, cs.kdf)),
        ).toBe(c.derive_secret.out);
        const t = c.derive_tree_secret;
        expect(
          toHex(await deriveTreeSecret(hex(t.secret), t.label, t.generation, t.length, cs.kdf)),
        ).toBe(t.out);
        const s = c.sign_with_label;
        expect(
          await verifyWithLabel(
            hex(s.pub),
            s.label,
            hex(s.content),
            hex(s.signature),
            cs.signature,
          ),
        ).toBe(true);
        const sig = await signWithLabel(hex(s.priv), s.label, hex(s.content), cs.signature);
        expect(await verifyWithLabel(hex(s.pub), s.label, hex(s.content), sig, cs.signature)).toBe(
          true,
        );
        const h = c.encrypt_with_label;
        const priv = await cs.hpke.importPrivateKey(hex(h.priv));
        const pub = await cs.hpke.importPublicKey(hex(h.pub));
        const pt = await decryptWithLabel(
          priv,
          h.label,
          hex(h.context),
          hex(h.kem_output),
          hex(h.ciphertext),
          cs.hpke,
        );
        expect(toHex(new Uint8Array(pt))).toBe(h.plaintext);
        const again = await encryptWithLabel(
          pub,
          h.label,
          hex(h.context),
          hex(h.plaintext),
          cs.hpke,
        );
        const pt2 = await decryptWithLabel(
          priv,
          h.label,
          hex(h.context),
          again.enc,
          again.ct,
          cs.hpke,
        );
        expect(toHex(new Uint8Array(pt2))).toBe(h.plaintext);
      },
    );
  });

  describe('key-schedule vectors (RFC 9420 §8), including MLS-Exporter', () => {
    type Epoch = Record<
      | 'tree_hash'
      | 'commit_secret'
      | 'psk_secret'
      | 'confirmed_transcript_hash'
      | 'group_context'
      | 'joiner_secret'
      | 'welcome_secret'
      | 'init_secret'
      | 'sender_data_secret'
      | 'encryption_secret'
      | 'exporter_secret'
      | 'epoch_authenticator'
      | 'external_secret'
      | 'confirmation_key'
      | 'membership_key'
      | 'resumption_psk'
      | 'external_pub',
      Hex
    > & { exporter: { label: string; context: Hex; length: number; secret: Hex } };
    type K = { cipher_suite: number; group_id: Hex; initial_init_secret: Hex; epochs: Epoch[] };
    it.each(forSuite<K>('key-schedule.json').map((c) => [c.cipher_suite, c] as const))(
      'suite %i, every epoch',
      async (_s, k) => {
        let initSecret = hex(k.initial_init_secret);
        for (const [i, e] of k.epochs.entries()) {
          const gc: GroupContext = {
            version: 'mls10',
            cipherSuite: getCiphersuiteNameFromId(SUITE),
            groupId: hex(k.group_id),
            epoch: BigInt(i),
            treeHash: hex(e.tree_hash),
            confirmedTranscriptHash: hex(e.confirmed_transcript_hash),
            extensions: [],
          };
          expect(toHex(encodeGroupContext(gc))).toBe(e.group_context);
          const r = await initializeEpoch(
            initSecret,
            hex(e.commit_secret),
            gc,
            hex(e.psk_secret),
            cs.kdf,
          );
          const ks = r.keySchedule;
          expect(toHex(r.joinerSecret)).toBe(e.joiner_secret);
          expect(toHex(r.welcomeSecret)).toBe(e.welcome_secret);
          expect(toHex(r.encryptionSecret)).toBe(e.encryption_secret);
          expect(toHex(ks.initSecret)).toBe(e.init_secret);
          expect(toHex(ks.senderDataSecret)).toBe(e.sender_data_secret);
          expect(toHex(ks.exporterSecret)).toBe(e.exporter_secret);
          expect(toHex(ks.externalSecret)).toBe(e.external_secret);
          expect(toHex(ks.confirmationKey)).toBe(e.confirmation_key);
          expect(toHex(ks.membershipKey)).toBe(e.membership_key);
          expect(toHex(ks.resumptionPsk)).toBe(e.resumption_psk);
          expect(toHex(ks.epochAuthenticator)).toBe(e.epoch_authenticator);
          const { publicKey } = await cs.hpke.deriveKeyPair(ks.externalSecret);
          expect(toHex(await cs.hpke.exportPublicKey(publicKey))).toBe(e.external_pub);
          const x = e.exporter;
          expect(
            toHex(await mlsExporter(ks.exporterSecret, x.label, hex(x.context), x.length, cs)),
          ).toBe(x.secret);
          initSecret = ks.initSecret;
        }
      },
    );
  });

  describe('secret-tree vectors (RFC 9420 §9)', () => {
    type Leaf = { generation: number } & Record<
      'handshake_key' | 'handshake_nonce' | 'application_key' | 'application_nonce',
      Hex
    >;
    type S = {
      cipher_suite: number;
      sender_data: { sender_data_secret: Hex; ciphertext: Hex; key: Hex; nonce: Hex };
      encryption_secret: Hex;
      leaves: Leaf[][];
    };
    const cases = forSuite<S>('secret-tree.json');
    it.each(cases.map((c, i) => [i, c.leaves.length, c] as const))(
      'case %i (%i leaves)',
      async (_i, _n, s) => {
        const sd = s.sender_data;
        expect(
          toHex(await expandSenderDataKey(cs, hex(sd.sender_data_secret), hex(sd.ciphertext))),
        ).toBe(sd.key);
        expect(
          toHex(await expandSenderDataNonce(cs, hex(sd.sender_data_secret), hex(sd.ciphertext))),
        ).toBe(sd.nonce);
        let tree = await createSecretTree(s.leaves.length, hex(s.encryption_secret), cs.kdf);
        for (const [leafIndex, gens] of s.leaves.entries()) {
          for (const g of gens) {
            const senderData = {
              leafIndex,
              generation: g.generation,
              reuseGuard: new Uint8Array(4) as ReuseGuard,
            };
            const app = await ratchetToGeneration(
              tree,
              senderData,
              'application',
              defaultKeyRetentionConfig,
              cs,
            );
            expect(app.generation).toBe(g.generation);
            expect(toHex(app.key)).toBe(g.application_key);
            expect(toHex(app.nonce)).toBe(g.application_nonce);
            const hs = await ratchetToGeneration(
              app.newTree,
              senderData,
              'commit',
              defaultKeyRetentionConfig,
              cs,
            );
            expect(toHex(hs.key)).toBe(g.handshake_key);
            expect(toHex(hs.nonce)).toBe(g.handshake_nonce);
            tree = hs.newTree;
          }
        }
      },
    );
  });

  describe('welcome vectors (RFC 9420 §12.4.3.1)', () => {
    type W = {
      cipher_suite: number;
      init_priv: Hex;
      signer_pub: Hex;
      key_package: Hex;
      welcome: Hex;
    };
    it.each(forSuite<W>('welcome.json').map((c) => [c.cipher_suite, c] as const))(
      'suite %i',
      async (_s, v) => {
        const w = decodeMlsMessage(hex(v.welcome), 0)?.[0];
        const k = decodeMlsMessage(hex(v.key_package), 0)?.[0];
        if (w?.wireformat !== 'mls_welcome' || k?.wireformat !== 'mls_key_package')
          throw new Error('bad vector');
        const ref = await makeKeyPackageRef(k.keyPackage, cs.hash);
        expect(w.welcome.secrets.some((s) => constantTimeEqual(s.newMember, ref))).toBe(true);
        const priv = await cs.hpke.importPrivateKey(hex(v.init_priv));
        const secrets = await decryptGroupSecrets(priv, ref, w.welcome, cs.hpke);
        if (!secrets) throw new Error('could not decrypt group secrets');
        const psk = new Uint8Array(cs.kdf.size);
        const gi = await decryptGroupInfo(w.welcome, secrets.joinerSecret, psk, cs);
        if (!gi) throw new Error('could not decrypt GroupInfo');
        expect(await verifyGroupInfoConfirmationTag(gi, secrets.joinerSecret, psk, cs)).toBe(true);
        expect(await verifyGroupInfoSignature(gi, hex(v.signer_pub), cs.signature)).toBe(true);
      },
    );
  });

  type Passive = {
    cipher_suite: number;
    external_psks: { psk_id: Hex; psk: Hex }[];
    key_package: Hex;
    signature_priv: Hex;
    encryption_priv: Hex;
    init_priv: Hex;
    welcome: Hex;
    ratchet_tree: Hex | null;
    initial_epoch_authenticator: Hex;
    epochs: { proposals: Hex[]; commit: Hex; epoch_authenticator: Hex }[];
  };

  async function process(
    state: ClientState,
    bytes: Hex,
    psks: Record<string, Uint8Array>,
  ): Promise<ClientState> {
    const m = decodeMlsMessage(hex(bytes), 0)?.[0];
    if (m?.wireformat === 'mls_private_message') {
      return (await processPrivateMessage(state, m.privateMessage, makePskIndex(state, psks), cs))
        .newState;
    }
    if (m?.wireformat === 'mls_public_message') {
      return (await processPublicMessage(state, m.publicMessage, makePskIndex(state, psks), cs))
        .newState;
    }
    throw new Error('expected a handshake message');
  }

  /** RFC 9420 passive client: join from the Welcome, then follow every proposal and commit. */
  async function passiveClient(v: Passive): Promise<void> {
    const kp = decodeMlsMessage(hex(v.key_package), 0)?.[0];
    const w = decodeMlsMessage(hex(v.welcome), 0)?.[0];
    if (kp?.wireformat !== 'mls_key_package' || w?.wireformat !== 'mls_welcome')
      throw new Error('bad vector');
    const keys: PrivateKeyPackage = {
      initPrivateKey: hex(v.init_priv),
      hpkePrivateKey: hex(v.encryption_priv),
      signaturePrivateKey: hex(v.signature_priv),
    };
    const tree =
      v.ratchet_tree === null ? undefined : decodeRatchetTree(hex(v.ratchet_tree), 0)?.[0];
    const psks: Record<string, Uint8Array> = {};
    for (const p of v.external_psks) psks[bytesToBase64(hex(p.psk_id))] = hex(p.psk);
    const pskIndex = v.external_psks.length ? makePskIndex(undefined, psks) : emptyPskIndex;
    let state = await joinGroup(w.welcome, kp.keyPackage, keys, pskIndex, cs, tree);
    expect(toHex(state.keySchedule.epochAuthenticator)).toBe(v.initial_epoch_authenticator);
    for (const epoch of v.epochs) {
      for (const p of epoch.proposals) state = await process(state, p, psks);
      state = await process(state, epoch.commit, psks);
      expect(toHex(state.keySchedule.epochAuthenticator)).toBe(epoch.epoch_authenticator);
    }
  }

  describe('passive-client-welcome vectors', () => {
    const cases = forSuite<Passive>('passive-client-welcome.json');
    it.each(cases.map((c, i) => [i, c] as const))(
      'case %i joins with the expected epoch authenticator',
      async (_i, v) => {
        await passiveClient(v);
      },
    );
  });

  describe('passive-client-handling-commit vectors', () => {
    const cases = forSuite<Passive>('passive-client-handling-commit.json');
    it.each(cases.map((c, i) => [i, c.epochs.length, c] as const))(
      'case %i follows %i epochs with the expected epoch authenticators',
      async (_i, _n, v) => {
        await passiveClient(v);
      },
    );
  });

  // A long random run of adds, removes, updates and commits by other members (RFC 9420 client
  // interop): the kind of tree churn in which ts-mls 1.6.4's unpatched join check rejected
  // valid trees (see packages/e2ee/README.md, "Carried patch").
  describe('passive-client-random vectors', () => {
    const cases = forSuite<Passive>('passive-client-random.json');
    it.each(cases.map((c, i) => [i, c.epochs.length, c] as const))(
      'case %i follows %i random epochs with the expected epoch authenticators',
      async (_i, _n, v) => {
        await passiveClient(v);
      },
      120_000,
    );
  });
});
