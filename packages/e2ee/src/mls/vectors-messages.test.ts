// mlswg interop vectors for MLS messages (RFC 9420 §6, §8.2, §8.4), ciphersuite 1 where the file
// has suites, against the wrapped ts-mls@1.6.4: wire encodings, message protection, transcript
// hashes, PSK secrets, and the variable-length integer headers.
import type { CiphersuiteImpl, GroupContext } from 'ts-mls';
import {
  decodeMlsMessage,
  defaultKeyRetentionConfig,
  defaultPaddingConfig,
  encodeMlsMessage,
} from 'ts-mls';
import { decodeAuthenticatedContent } from 'ts-mls/authenticatedContent.js';
import type { Decoder } from 'ts-mls/codec/tlsDecoder.js';
import { encode, type Encoder } from 'ts-mls/codec/tlsEncoder.js';
import {
  decodeVarLenData,
  determineLength,
  lengthEncoder,
  varLenDataEncoder,
} from 'ts-mls/codec/variableLength.js';
import { decodeCommit, encodeCommit } from 'ts-mls/commit.js';
import { getCiphersuiteNameFromId } from 'ts-mls/crypto/ciphersuite.js';
import { decodeGroupSecrets, encodeGroupSecrets } from 'ts-mls/groupSecrets.js';
import type { LeafNode } from 'ts-mls/leafNode.js';
import {
  protectApplicationData,
  protectProposal,
  unprotectPrivateMessage,
} from 'ts-mls/messageProtection.js';
import { protectProposalPublic, unprotectPublicMessage } from 'ts-mls/messageProtectionPublic.js';
import { computePskSecret, type PreSharedKeyID } from 'ts-mls/presharedkey.js';
import type { PrivateMessage } from 'ts-mls/privateMessage.js';
import {
  decodeAdd,
  decodeExternalInit,
  decodeGroupContextExtensions,
  decodeProposal,
  decodePSK,
  decodeReinit,
  decodeRemove,
  decodeUpdate,
  encodeAdd,
  encodeExternalInit,
  encodeGroupContextExtensions,
  encodeProposal,
  encodePSK,
  encodeReinit,
  encodeRemove,
  encodeUpdate,
} from 'ts-mls/proposal.js';
import type { PublicMessage } from 'ts-mls/publicMessage.js';
import { decodeRatchetTree, encodeRatchetTree, type RatchetTree } from 'ts-mls/ratchetTree.js';
import { createSecretTree } from 'ts-mls/secretTree.js';
import { createConfirmedHash, createInterimHash } from 'ts-mls/transcriptHash.js';
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

  describe('messages vectors (RFC 9420 wire encodings): decode then encode gives the same bytes', () => {
    type M = Record<
      | 'mls_welcome'
      | 'mls_group_info'
      | 'mls_key_package'
      | 'ratchet_tree'
      | 'group_secrets'
      | 'add_proposal'
      | 'update_proposal'
      | 'remove_proposal'
      | 'pre_shared_key_proposal'
      | 're_init_proposal'
      | 'external_init_proposal'
      | 'group_context_extensions_proposal'
      | 'commit'
      | 'public_message_application'
      | 'public_message_proposal'
      | 'public_message_commit'
      | 'private_message',
      Hex
    >;
    const struct =
      <T>(dec: Decoder<T>, enc: Encoder<T>) =>
      (h: Hex) => {
        const got = dec(hex(h), 0);
        if (!got) throw new Error('undecodable');
        expect(got[1]).toBe(h.length / 2);
        expect(toHex(enc(got[0]))).toBe(h);
      };
    const mls = (wireformat: string, contentType?: string) => (h: Hex) => {
      const got = decodeMlsMessage(hex(h), 0);
      expect(got?.[0].wireformat).toBe(wireformat);
      if (contentType && got?.[0].wireformat === 'mls_public_message')
        expect(got[0].publicMessage.content.contentType).toBe(contentType);
      expect(toHex(encodeMlsMessage(got![0]))).toBe(h);
    };
    const checks: [keyof M, (h: Hex) => void][] = [
      ['mls_welcome', mls('mls_welcome')],
      ['mls_group_info', mls('mls_group_info')],
      ['mls_key_package', mls('mls_key_package')],
      ['public_message_application', mls('mls_public_message', 'application')],
      ['public_message_proposal', mls('mls_public_message', 'proposal')],
      ['public_message_commit', mls('mls_public_message', 'commit')],
      ['private_message', mls('mls_private_message')],
      ['ratchet_tree', struct(decodeRatchetTree, encodeRatchetTree)],
      ['group_secrets', struct(decodeGroupSecrets, encodeGroupSecrets)],
      ['add_proposal', struct(decodeAdd, encodeAdd)],
      ['update_proposal', struct(decodeUpdate, encodeUpdate)],
      ['remove_proposal', struct(decodeRemove, encodeRemove)],
      ['pre_shared_key_proposal', struct(decodePSK, encodePSK)],
      ['re_init_proposal', struct(decodeReinit, encodeReinit)],
      ['external_init_proposal', struct(decodeExternalInit, encodeExternalInit)],
      [
        'group_context_extensions_proposal',
        struct(decodeGroupContextExtensions, encodeGroupContextExtensions),
      ],
      ['commit', struct(decodeCommit, encodeCommit)],
    ];
    const cases = readVectorJson<M[]>('mls/messages.json');
    it.each(cases.map((c, i) => [i, c] as const))('case %i: every structure', (_i, m) => {
      for (const [field, check] of checks) {
        try {
          check(m[field]);
        } catch (err) {
          throw new Error(`${field}: ${err instanceof Error ? err.message : String(err)}`, {
            cause: err,
          });
        }
      }
    });
  });

  describe('deserialization vectors (RFC 9420 §2.1.2 variable-length integers)', () => {
    const cases = readVectorJson<{ vlbytes_header: Hex; length: number }[]>(
      'mls/deserialization.json',
    );
    it.each(cases.map((c) => [c.length, c.vlbytes_header] as const))(
      'length %i has header %s, both ways',
      (length, header) => {
        expect(determineLength(hex(header)).length).toBe(length);
        const [size, write] = lengthEncoder(length);
        const buf = new ArrayBuffer(size);
        write(0, buf);
        expect(toHex(new Uint8Array(buf))).toBe(header);
        if (length > 1 << 20) return; // a full round trip of 1 GiB buys nothing more
        const encoded = encode(varLenDataEncoder)(new Uint8Array(length));
        expect(decodeVarLenData(encoded, 0)?.[0].length).toBe(length);
      },
    );
  });

  describe('psk_secret vectors (RFC 9420 §8.4)', () => {
    type P = {
      cipher_suite: number;
      psks: { psk_id: Hex; psk: Hex; psk_nonce: Hex }[];
      psk_secret: Hex;
    };
    it.each(forSuite<P>('psk_secret.json').map((c, i) => [i, c.psks.length, c] as const))(
      'case %i (%i PSKs)',
      async (_i, _n, p) => {
        const psks: [PreSharedKeyID, Uint8Array][] = p.psks.map((x) => [
          { psktype: 'external', pskId: hex(x.psk_id), pskNonce: hex(x.psk_nonce) },
          hex(x.psk),
        ]);
        expect(toHex(await computePskSecret(psks, cs))).toBe(p.psk_secret);
      },
    );
  });

  describe('transcript-hashes vectors (RFC 9420 §8.2)', () => {
    type T = {
      cipher_suite: number;
      confirmation_key: Hex;
      authenticated_content: Hex;
      interim_transcript_hash_before: Hex;
      confirmed_transcript_hash_after: Hex;
      interim_transcript_hash_after: Hex;
    };
    it.each(forSuite<T>('transcript-hashes.json').map((c) => [c.cipher_suite, c] as const))(
      'suite %i: confirmation tag, confirmed and interim hash',
      async (_s, t) => {
        const ac = decodeAuthenticatedContent(hex(t.authenticated_content), 0)?.[0];
        if (ac?.content.contentType !== 'commit' || ac.auth.contentType !== 'commit')
          throw new Error('expected a commit');
        const tag = ac.auth.confirmationTag;
        const confirmed = await createConfirmedHash(
          hex(t.interim_transcript_hash_before),
          { wireformat: ac.wireformat, content: ac.content, signature: ac.auth.signature },
          cs.hash,
        );
        expect(toHex(confirmed)).toBe(t.confirmed_transcript_hash_after);
        expect(await cs.hash.verifyMac(hex(t.confirmation_key), tag, confirmed)).toBe(true);
        expect(toHex(await createInterimHash(confirmed, tag, cs.hash))).toBe(
          t.interim_transcript_hash_after,
        );
      },
    );
  });

  describe('message-protection vectors (RFC 9420 §6.2 PublicMessage, §6.3 PrivateMessage)', () => {
    type V = Record<
      | 'group_id'
      | 'tree_hash'
      | 'confirmed_transcript_hash'
      | 'signature_priv'
      | 'signature_pub'
      | 'encryption_secret'
      | 'sender_data_secret'
      | 'membership_key'
      | 'proposal'
      | 'proposal_priv'
      | 'proposal_pub'
      | 'commit'
      | 'commit_priv'
      | 'commit_pub'
      | 'application'
      | 'application_priv',
      Hex
    > & { cipher_suite: number; epoch: number };
    // The sender is leaf 1 of a two-leaf group (test-vectors.md); only its signature key matters.
    const SENDER = 1;
    const treeWithSender = (signaturePublicKey: Uint8Array): RatchetTree => [
      undefined,
      undefined,
      { nodeType: 'leaf', leaf: { signaturePublicKey } as unknown as LeafNode },
    ];

    const privateOf = (h: Hex): PrivateMessage => {
      const m = decodeMlsMessage(hex(h), 0)?.[0];
      if (m?.wireformat !== 'mls_private_message') throw new Error('expected a PrivateMessage');
      return m.privateMessage;
    };
    const publicOf = (h: Hex): PublicMessage => {
      const m = decodeMlsMessage(hex(h), 0)?.[0];
      if (m?.wireformat !== 'mls_public_message') throw new Error('expected a PublicMessage');
      return m.publicMessage;
    };

    it.each(forSuite<V>('message-protection.json').map((c) => [c.cipher_suite, c] as const))(
      'suite %i: the given messages open, and what we protect opens to the same content',
      async (_s, v) => {
        const gc: GroupContext = {
          version: 'mls10',
          cipherSuite: getCiphersuiteNameFromId(SUITE),
          groupId: hex(v.group_id),
          epoch: BigInt(v.epoch),
          treeHash: hex(v.tree_hash),
          confirmedTranscriptHash: hex(v.confirmed_transcript_hash),
          extensions: [],
        };
        const tree = treeWithSender(hex(v.signature_pub));
        const secrets = () => createSecretTree(2, hex(v.encryption_secret), cs.kdf);
        const open = async (pm: PrivateMessage) =>
          (
            await unprotectPrivateMessage(
              hex(v.sender_data_secret),
              pm,
              await secrets(),
              tree,
              gc,
              defaultKeyRetentionConfig,
              cs,
            )
          ).content.content;
        const openPublic = async (pm: PublicMessage) =>
          (await unprotectPublicMessage(hex(v.membership_key), gc, tree, pm, cs)).content;

        // Given messages, private and public.
        const prop = await open(privateOf(v.proposal_priv));
        if (prop.contentType !== 'proposal') throw new Error('expected a proposal');
        expect(toHex(encodeProposal(prop.proposal))).toBe(v.proposal);
        const commit = await open(privateOf(v.commit_priv));
        if (commit.contentType !== 'commit') throw new Error('expected a commit');
        expect(toHex(encodeCommit(commit.commit))).toBe(v.commit);
        const app = await open(privateOf(v.application_priv));
        if (app.contentType !== 'application') throw new Error('expected application data');
        expect(toHex(app.applicationData)).toBe(v.application);
        const pubProp = await openPublic(publicOf(v.proposal_pub));
        if (pubProp.contentType !== 'proposal') throw new Error('expected a proposal');
        expect(toHex(encodeProposal(pubProp.proposal))).toBe(v.proposal);
        const pubCommit = await openPublic(publicOf(v.commit_pub));
        if (pubCommit.contentType !== 'commit') throw new Error('expected a commit');
        expect(toHex(encodeCommit(pubCommit.commit))).toBe(v.commit);

        // Our own protection of the same content.
        const proposal = decodeProposal(hex(v.proposal), 0)?.[0];
        if (!proposal) throw new Error('undecodable proposal');
        const sealedApp = await protectApplicationData(
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
        const reopenedApp = await open(sealedApp.privateMessage);
        if (reopenedApp.contentType !== 'application') throw new Error('expected application data');
        expect(toHex(reopenedApp.applicationData)).toBe(v.application);
        const sealedProp = await protectProposal(
          hex(v.signature_priv),
          hex(v.sender_data_secret),
          proposal,
          new Uint8Array(0),
          gc,
          await secrets(),
          SENDER,
          defaultPaddingConfig,
          cs,
        );
        const reopenedProp = await open(sealedProp.privateMessage);
        if (reopenedProp.contentType !== 'proposal') throw new Error('expected a proposal');
        expect(toHex(encodeProposal(reopenedProp.proposal))).toBe(v.proposal);
        const pubSealed = await protectProposalPublic(
          hex(v.signature_priv),
          hex(v.membership_key),
          gc,
          new Uint8Array(0),
          proposal,
          SENDER,
          cs,
        );
        const reopenedPub = await openPublic(pubSealed.publicMessage);
        if (reopenedPub.contentType !== 'proposal') throw new Error('expected a proposal');
        expect(toHex(encodeProposal(reopenedPub.proposal))).toBe(v.proposal);
      },
    );
  });
});
