// The short application-message path (application-message.ts) against the RFC 9420
// message-protection vectors and against ts-mls's own protection, both ways.
import type { GroupContext } from 'ts-mls';
import { decodeMlsMessage, defaultKeyRetentionConfig, defaultPaddingConfig } from 'ts-mls';
import { getCiphersuiteNameFromId } from 'ts-mls/crypto/ciphersuite.js';
import type { LeafNode } from 'ts-mls/leafNode.js';
import { protectApplicationData, unprotectPrivateMessage } from 'ts-mls/messageProtection.js';
import type { PrivateMessage } from 'ts-mls/privateMessage.js';
import type { RatchetTree } from 'ts-mls/ratchetTree.js';
import { createSecretTree } from 'ts-mls/secretTree.js';
import { describe, expect, it } from 'vitest';
import { readVectorJson } from '../../test/support/paths';
import { hex, toHex } from '../../test/support/sframe-vectors';
import { createNodeBackend } from '../sframe/backend/node';
import { createWebCryptoBackend } from '../sframe/backend/webcrypto';
import { expandSenderDataKey, expandSenderDataNonce } from 'ts-mls/sender.js';
import {
  ImportedAeadKeys,
  openApplicationMessage,
  readApplicationMessage,
  sealApplicationMessage,
  senderDataKeyAndNonce,
} from './application-message';
import { mlsSuite } from './mls-suite';

type V = Record<
  | 'group_id'
  | 'tree_hash'
  | 'confirmed_transcript_hash'
  | 'signature_priv'
  | 'signature_pub'
  | 'encryption_secret'
  | 'sender_data_secret'
  | 'application'
  | 'application_priv',
  string
> & { cipher_suite: number; epoch: number };

const vectors = readVectorJson<V[]>('mls/message-protection.json').filter(
  (v) => v.cipher_suite === 1,
);
// test-vectors.md: the sender is leaf 1 of a two-leaf group.
const SENDER = 1;

const privateOf = (bytes: Uint8Array): PrivateMessage => {
  const m = decodeMlsMessage(bytes, 0)?.[0];
  if (m?.wireformat !== 'mls_private_message') throw new Error('expected a PrivateMessage');
  return m.privateMessage;
};

describe.each([
  ['node:crypto', createNodeBackend],
  ['WebCrypto', createWebCryptoBackend],
] as const)('application messages on %s (RFC 9420 §6.3)', (_name, makeBackend) => {
  const setUp = async (v: V) => {
    const backend = makeBackend();
    const cs = await mlsSuite(backend);
    const gc: GroupContext = {
      version: 'mls10',
      cipherSuite: getCiphersuiteNameFromId(1),
      groupId: hex(v.group_id),
      epoch: BigInt(v.epoch),
      treeHash: hex(v.tree_hash),
      confirmedTranscriptHash: hex(v.confirmed_transcript_hash),
      extensions: [],
    };
    const treeOf = (signaturePublicKey: Uint8Array): RatchetTree => [
      undefined,
      undefined,
      { nodeType: 'leaf', leaf: { signaturePublicKey } as unknown as LeafNode },
    ];
    const tree = treeOf(hex(v.signature_pub));
    const secrets = () => createSecretTree(2, hex(v.encryption_secret), cs.kdf);
    const keys = new ImportedAeadKeys(backend);
    const reader = async (ratchetTree = tree) => ({
      senderDataSecret: hex(v.sender_data_secret),
      secretTree: await secrets(),
      ratchetTree,
      groupContext: gc,
      keyRetention: defaultKeyRetentionConfig,
    });
    const seal = async (data: Uint8Array) =>
      sealApplicationMessage(
        {
          signaturePrivateKey: hex(v.signature_priv),
          senderDataSecret: hex(v.sender_data_secret),
          groupContext: gc,
          secretTree: await secrets(),
          leafIndex: SENDER,
          paddingConfig: defaultPaddingConfig,
        },
        data,
        cs,
        keys,
      );
    return { cs, gc, tree, treeOf, secrets, keys, reader, seal };
  };

  it.each(vectors.map((v) => [v.cipher_suite, v] as const))(
    'suite %i: the vector application message opens to its data, from leaf 1',
    async (_s, v) => {
      const { cs, keys, reader } = await setUp(v);
      const opened = await openApplicationMessage(
        await reader(),
        privateOf(hex(v.application_priv)),
        cs,
        keys,
      );
      expect(toHex(opened.applicationData)).toBe(v.application);
      expect(opened.senderLeaf).toBe(SENDER);
    },
  );

  it.each(vectors.map((v) => [v.cipher_suite, v] as const))(
    'suite %i: what it seals opens in ts-mls, and what ts-mls seals opens here',
    async (_s, v) => {
      const { cs, gc, tree, secrets, keys, reader, seal } = await setUp(v);
      const sealed = await seal(hex(v.application));
      const byTsMls = await unprotectPrivateMessage(
        hex(v.sender_data_secret),
        privateOf(sealed.message),
        await secrets(),
        tree,
        gc,
        defaultKeyRetentionConfig,
        cs,
      );
      const content = byTsMls.content.content;
      if (content.contentType !== 'application') throw new Error('expected application data');
      expect(toHex(content.applicationData)).toBe(v.application);
      expect(content.sender).toEqual({ senderType: 'member', leafIndex: SENDER });

      const fromTsMls = await protectApplicationData(
        hex(v.signature_priv),
        hex(v.sender_data_secret),
        hex(v.application),
        new Uint8Array(0),
        gc,
        await secrets(),
        SENDER,
        defaultPaddingConfig,
        cs,
      );
      const opened = await openApplicationMessage(
        await reader(),
        fromTsMls.privateMessage,
        cs,
        keys,
      );
      expect(toHex(opened.applicationData)).toBe(v.application);
    },
  );

  it.each(vectors.map((v) => [v.cipher_suite, v] as const))(
    'suite %i: a replay, another signer, another group and another epoch are refused',
    async (_s, v) => {
      const { cs, gc, treeOf, keys, reader, seal } = await setUp(v);
      const pm = privateOf((await seal(hex(v.application))).message);
      // A replay: the generation was used up by the first opening (RFC 9420 §9.2).
      const first = await openApplicationMessage(await reader(), pm, cs, keys);
      await expect(
        openApplicationMessage({ ...(await reader()), secretTree: first.tree }, pm, cs, keys),
      ).rejects.toThrow();
      // The sender leaf holds another signature key: the signature does not verify (§6.1).
      const other = new Uint8Array(32);
      other[0] = 1;
      const otherKey = (await cs.signature.keygen()).publicKey;
      await expect(
        openApplicationMessage(await reader(treeOf(otherKey)), pm, cs, keys),
      ).rejects.toThrow('signature invalid');
      // Another group id or epoch in the clear header: refused before any key is used.
      await expect(
        openApplicationMessage(await reader(), { ...pm, groupId: other }, cs, keys),
      ).rejects.toThrow('not a message of this group');
      await expect(
        openApplicationMessage(await reader(), { ...pm, epoch: gc.epoch + 1n }, cs, keys),
      ).rejects.toThrow('not an application message of this epoch');
    },
  );

  it('derives the sender-data key and nonce as ts-mls does (RFC 9420 §6.3.2), short ciphertexts too', async () => {
    const backend = makeBackend();
    const cs = await mlsSuite(backend);
    for (const length of [16, 31, 32, 33, 200]) {
      const secret = backend.randomBytes(32);
      const ciphertext = backend.randomBytes(length);
      const [key, nonce] = await senderDataKeyAndNonce(cs, secret, ciphertext);
      expect(toHex(key)).toBe(toHex(await expandSenderDataKey(cs, secret, ciphertext)));
      expect(toHex(nonce)).toBe(toHex(await expandSenderDataNonce(cs, secret, ciphertext)));
      expect([key.length, nonce.length]).toEqual([16, 12]);
    }
  });

  it.each(vectors.map((v) => [v.cipher_suite, v] as const))(
    'suite %i: the short reader reads what ts-mls reads, the same way, or leaves it to ts-mls',
    async (_s, v) => {
      const { seal } = await setUp(v);
      const tsMls = (bytes: Uint8Array) => {
        try {
          const d = decodeMlsMessage(bytes, 0);
          return d && d[1] === bytes.length && d[0].wireformat === 'mls_private_message'
            ? d[0].privateMessage
            : undefined;
        } catch {
          return undefined;
        }
      };
      const samples = [hex(v.application_priv), (await seal(hex(v.application))).message];
      for (const bytes of samples) {
        expect(readApplicationMessage(bytes)).toEqual(tsMls(bytes));
        expect(readApplicationMessage(bytes)).toBeDefined();
      }
      // Every truncation, one extra byte, and every single-byte change: whatever the short
      // reader accepts, ts-mls reads identically (the rest goes to ts-mls, which decides).
      const sealed = samples[1]!;
      const variants: Uint8Array[] = [new Uint8Array([...sealed, 0])];
      for (let n = 0; n < sealed.length; n++) variants.push(sealed.subarray(0, n));
      for (let i = 0; i < sealed.length; i++)
        for (const b of [0x00, 0x01, 0x02, 0x3f, 0x40, 0x80, 0xff]) {
          const m = sealed.slice();
          m[i] = b;
          variants.push(m);
        }
      let accepted = 0;
      for (const m of variants) {
        const mine = readApplicationMessage(m);
        if (mine === undefined) continue;
        accepted++;
        expect(mine).toEqual(tsMls(m));
      }
      expect(accepted).toBeGreaterThan(sealed.length);
      // A length in a longer encoding than needed (RFC 9420 §2.1.2) is left to ts-mls.
      const groupIdAt = 4;
      const len = sealed[groupIdAt]!;
      const long = new Uint8Array([
        ...sealed.subarray(0, groupIdAt),
        0x40,
        len,
        ...sealed.subarray(groupIdAt + 1),
      ]);
      expect(readApplicationMessage(long)).toBeUndefined();
      expect(tsMls(long)?.groupId).toEqual(tsMls(sealed)?.groupId);
      // A handshake content type or another wire format: not an application message.
      const commit = sealed.slice();
      commit[groupIdAt + 1 + len + 8] = 3;
      expect(readApplicationMessage(commit)).toBeUndefined();
      const pub = sealed.slice();
      pub[3] = 1;
      expect(readApplicationMessage(pub)).toBeUndefined();
    },
  );
});
