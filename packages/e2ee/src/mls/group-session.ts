// A small typed wrapper over ts-mls@1.6.4 (RFC 9420) for one E2EE session of a meeting:
// ciphersuite 0x0001 MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519 (DESIGN §4.2). Messages in
// and out are TLS-encoded MLSMessage bytes (RFC 9420 §6), ready for the Delivery Service.
import {
  createCommit,
  createGroup,
  decodeMlsMessage,
  defaultCapabilities,
  defaultKeyPackageEqualityConfig,
  defaultKeyRetentionConfig,
  defaultLifetime,
  defaultLifetimeConfig,
  defaultPaddingConfig,
  emptyPskIndex,
  encodeMlsMessage,
  generateKeyPackageWithKey,
  joinGroup,
  mlsExporter,
  processMessage,
  type CiphersuiteImpl,
  type ClientConfig,
  type ClientState,
  type KeyPackage,
  type MLSMessage,
  type PrivateKeyPackage,
  type PrivateMessage,
  type Proposal,
} from 'ts-mls';
import { decryptWithLabel, encryptWithLabel } from 'ts-mls/crypto/hpke.js';
import { E2eeError } from '../errors';
import type { CryptoBackend } from '../sframe/backend/types';
import { MLS_CIPHERSUITE, mlsSuite, suiteBackend } from './mls-suite';
import {
  decodeMeetingPolicy,
  encodeMeetingPolicy,
  MEETING_POLICY_EXTENSION,
  type MeetingPolicy,
} from './meeting-policy';
import {
  ImportedAeadKeys,
  openApplicationMessage,
  readApplicationMessage,
  sealApplicationMessage,
} from './application-message';
import {
  dropNextApplicationKey,
  LOOK_AHEAD_DELAY_MS,
  nextApplicationKey,
  withNextApplicationKey,
} from './ratchet-look-ahead';
import {
  authenticationService,
  identityCredential,
  identityFromCredential,
  type CredentialValidator,
  type MemberIdentity,
} from './credential';

/**
 * Consumed ratchet secrets (RFC 9420 §9.2: deleted once used), overwritten in place. ts-mls's
 * zeroOutUint8Array first fills them from WebCrypto's RNG (~20 us a call in Node 20), which cost
 * each chat message more than its AEAD (issue 18).
 */
const wipe = (secret: Uint8Array): void => void secret.fill(0);

export { MLS_CIPHERSUITE };

declare const leafBrand: unique symbol;
/** RFC 9420 §4.1 leaf index of a member in the ratchet tree. */
export type LeafIndex = number & { readonly [leafBrand]: 'LeafIndex' };
export const toLeafIndex = (n: number): LeafIndex => {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff)
    throw new TypeError('leaf index out of range');
  return n as LeafIndex;
};

export interface Member {
  readonly leafIndex: LeafIndex;
  readonly identity: MemberIdentity;
  readonly signaturePublicKey: Uint8Array;
}

export interface GroupSessionOptions {
  readonly validator?: CredentialValidator;
  /** Where the MLS primitives run (node:crypto in Node; default WebCrypto). */
  readonly backend?: CryptoBackend;
}

/**
 * A device's MLS signature key pair (Ed25519, RFC 9420 §5.1.2), kept for a whole session: every
 * KeyPackage of the device is signed with it, so others can pin its public half. The private
 * half never leaves the E2EE worker.
 */
export class SigningKey {
  readonly publicKey: Uint8Array;
  readonly #signKey: Uint8Array;

  private constructor(publicKey: Uint8Array, signKey: Uint8Array) {
    this.publicKey = publicKey;
    this.#signKey = signKey;
  }

  static async generate(): Promise<SigningKey> {
    const cs = await suite();
    const { publicKey, signKey } = await cs.signature.keygen();
    return new SigningKey(publicKey, signKey);
  }

  /** @internal */
  pair(): { signKey: Uint8Array; publicKey: Uint8Array } {
    return { signKey: this.#signKey, publicKey: this.publicKey };
  }
}

export interface CommitOutput {
  /** MLSMessage (PrivateMessage) carrying the Commit, for every current member. */
  readonly commit: Uint8Array;
}

export interface ChangesOutput extends CommitOutput {
  /** Present when the commit added members. */
  readonly welcome?: Uint8Array;
}

/**
 * How long after an epoch ends its application messages still open (RFC 9420 §15.2 lets a
 * member keep a past epoch's secrets to read messages sent before a commit arrived). ts-mls
 * keeps the receiver secrets of the last few epochs; this bounds them in time as well.
 */
export const PAST_EPOCH_GRACE_MS = 10_000;

export interface OpenedApplication {
  /** The epoch the message was sent in (the current one, or one that just ended). */
  readonly epoch: bigint;
  /** Leaf whose signature key signed the message (verified by ts-mls). */
  readonly senderLeaf: LeafIndex;
  /** That leaf's identity in the message's epoch (it may have left since). */
  readonly senderIdentity: MemberIdentity;
  /** That leaf's signature public key. */
  readonly senderSignatureKey: Uint8Array;
  readonly data: Uint8Array;
}

export interface AddOutput extends CommitOutput {
  /** MLSMessage carrying the Welcome (with the ratchet_tree extension) for the new members. */
  readonly welcome: Uint8Array;
}

export type CommitResult =
  | { readonly kind: 'epoch'; readonly epoch: bigint }
  | { readonly kind: 'removed'; readonly epoch: bigint };

/** A KeyPackage to publish plus the private keys needed to join from the matching Welcome. */
export class PendingJoin {
  readonly keyPackage: Uint8Array;
  readonly identity: MemberIdentity;
  readonly #public: KeyPackage;
  readonly #private: PrivateKeyPackage;

  /** @internal use GroupSession.makeKeyPackage */
  constructor(identity: MemberIdentity, pub: KeyPackage, priv: PrivateKeyPackage) {
    this.identity = identity;
    this.#public = pub;
    this.#private = priv;
    this.keyPackage = encodeMlsMessage({
      version: 'mls10',
      wireformat: 'mls_key_package',
      keyPackage: pub,
    });
  }

  /** @internal */
  keys(): { pub: KeyPackage; priv: PrivateKeyPackage } {
    return { pub: this.#public, priv: this.#private };
  }
}

const suite = mlsSuite;

/** Our leaves support the meeting-policy group context extension (RFC 9420 §7.2 capabilities). */
function capabilities() {
  const caps = defaultCapabilities();
  return { ...caps, extensions: [...caps.extensions, MEETING_POLICY_EXTENSION] };
}

function clientConfig(validator: CredentialValidator | undefined): ClientConfig {
  return {
    keyRetentionConfig: defaultKeyRetentionConfig,
    lifetimeConfig: defaultLifetimeConfig,
    keyPackageEqualityConfig: defaultKeyPackageEqualityConfig,
    paddingConfig: defaultPaddingConfig,
    authService: authenticationService(validator),
  };
}

function decode(bytes: Uint8Array): MLSMessage {
  let decoded: [MLSMessage, number] | undefined;
  try {
    decoded = decodeMlsMessage(bytes, 0);
  } catch (cause) {
    throw new E2eeError('E2EE_ERR_MLS_MESSAGE', 'undecodable', { cause });
  }
  if (!decoded || decoded[1] !== bytes.length)
    throw new E2eeError('E2EE_ERR_MLS_MESSAGE', 'undecodable');
  return decoded[0];
}

/** A PrivateMessage through ts-mls's decoder (what the short reader leaves to it). */
function decodePrivate(bytes: Uint8Array): PrivateMessage {
  const msg = decode(bytes);
  if (msg.wireformat !== 'mls_private_message')
    throw new E2eeError('E2EE_ERR_MLS_MESSAGE', 'expected a PrivateMessage');
  return msg.privateMessage;
}

function mlsError(code: 'E2EE_ERR_MLS_MESSAGE' | 'E2EE_ERR_MLS_STATE', cause: unknown): E2eeError {
  if (cause instanceof E2eeError) return cause;
  const name = cause instanceof Error ? cause.name : 'error';
  // ts-mls raises ValidationError when our authentication service returned false.
  if (
    name === 'ValidationError' &&
    String((cause as Error).message)
      .toLowerCase()
      .includes('credential')
  ) {
    return new E2eeError('E2EE_ERR_CREDENTIAL', undefined, { cause });
  }
  return new E2eeError(code, name, { cause });
}

export class GroupSession {
  #state: ClientState;
  /** This member's previous leaf HPKE private keys (its own commits replace it), newest first. */
  #oldLeafKeys: Uint8Array[] = [];
  readonly #cs: CiphersuiteImpl;
  /** When each recent epoch ended on this device (for PAST_EPOCH_GRACE_MS). */
  readonly #epochEnded = new Map<bigint, number>();
  /** Application messages being sealed or opened (the look-ahead waits for none). */
  #inFlight = 0;
  #lookAhead: Promise<void> = Promise.resolve();
  #appChain: Promise<unknown> = Promise.resolve();
  /** AEAD keys of generations derived ahead, imported ahead too (application-message.ts). */
  readonly #aeadKeys: ImportedAeadKeys;

  private constructor(state: ClientState, cs: CiphersuiteImpl) {
    this.#state = state;
    this.#cs = cs;
    this.#aeadKeys = new ImportedAeadKeys(suiteBackend(cs));
  }

  /**
   * RFC 9420 §10: a KeyPackage for `identity` (one per device and join attempt), signed with the
   * device's session key when given (else a fresh one).
   */
  static async makeKeyPackage(
    identity: MemberIdentity,
    signingKey?: SigningKey,
    backend?: CryptoBackend,
  ): Promise<PendingJoin> {
    const cs = await suite(backend);
    const key = signingKey ?? (await SigningKey.generate());
    const kp = await generateKeyPackageWithKey(
      identityCredential(identity),
      capabilities(),
      defaultLifetime,
      [],
      key.pair(),
      cs,
    );
    return new PendingJoin(identity, kp.publicPackage, kp.privatePackage);
  }

  /** Who a KeyPackage claims to be (public data; its signatures are checked when it is used). */
  static inspectKeyPackage(
    bytes: Uint8Array,
  ): { identity: MemberIdentity; signaturePublicKey: Uint8Array } | undefined {
    let msg: MLSMessage;
    try {
      msg = decode(bytes);
    } catch {
      return undefined;
    }
    if (msg.wireformat !== 'mls_key_package') return undefined;
    const leaf = msg.keyPackage.leafNode;
    const identity = identityFromCredential(leaf.credential);
    return identity ? { identity, signaturePublicKey: leaf.signaturePublicKey } : undefined;
  }

  /** RFC 9420 §11: a one-member group at epoch 0. */
  static async create(
    identity: MemberIdentity,
    options: GroupSessionOptions & {
      groupId?: Uint8Array;
      signingKey?: SigningKey;
      policy?: MeetingPolicy;
    } = {},
  ): Promise<GroupSession> {
    const cs = await suite(options.backend);
    const groupId = options.groupId ?? cs.rng.randomBytes(16);
    const own = await GroupSession.makeKeyPackage(identity, options.signingKey, options.backend);
    const { pub, priv } = own.keys();
    const extensions = options.policy
      ? [
          {
            extensionType: MEETING_POLICY_EXTENSION,
            extensionData: encodeMeetingPolicy(options.policy),
          },
        ]
      : [];
    const state = await createGroup(
      groupId,
      pub,
      priv,
      extensions,
      cs,
      clientConfig(options.validator),
    );
    return new GroupSession(state, cs);
  }

  /** RFC 9420 §12.4.3.1: join from a Welcome (which must carry the ratchet_tree extension). */
  static async joinFromWelcome(
    welcome: Uint8Array,
    pending: PendingJoin,
    options: GroupSessionOptions = {},
  ): Promise<GroupSession> {
    const cs = await suite(options.backend);
    const msg = decode(welcome);
    if (msg.wireformat !== 'mls_welcome')
      throw new E2eeError('E2EE_ERR_MLS_MESSAGE', 'expected a Welcome');
    const { pub, priv } = pending.keys();
    try {
      const state = await joinGroup(
        msg.welcome,
        pub,
        priv,
        emptyPskIndex,
        cs,
        undefined,
        undefined,
        clientConfig(options.validator),
      );
      return new GroupSession(state, cs);
    } catch (cause) {
      throw mlsError('E2EE_ERR_MLS_MESSAGE', cause);
    }
  }

  get epoch(): bigint {
    return this.#state.groupContext.epoch;
  }

  get groupId(): Uint8Array {
    return this.#state.groupContext.groupId.slice();
  }

  get ownLeafIndex(): LeafIndex {
    return this.#state.privatePath.leafIndex as LeafIndex;
  }

  get active(): boolean {
    return this.#state.groupActiveState.kind === 'active';
  }

  /** The roster: every non-blank leaf with its decoded identity. */
  members(): Member[] {
    const out: Member[] = [];
    const tree = this.#state.ratchetTree;
    for (let node = 0; node < tree.length; node += 2) {
      const n = tree[node];
      if (n?.nodeType !== 'leaf') continue;
      const identity = identityFromCredential(n.leaf.credential);
      if (!identity) continue; // the auth service never admits such a leaf; be defensive anyway
      out.push({
        leafIndex: (node / 2) as LeafIndex,
        identity,
        signaturePublicKey: n.leaf.signaturePublicKey,
      });
    }
    return out;
  }

  /** The meeting policy in the group context, if the group was created with one. */
  policy(): MeetingPolicy | undefined {
    const ext = this.#state.groupContext.extensions.find(
      (e) => e.extensionType === MEETING_POLICY_EXTENSION,
    );
    return ext ? decodeMeetingPolicy(ext.extensionData) : undefined;
  }

  /** RFC 9420 §8.7: epoch_authenticator, the basis of the security code. */
  epochAuthenticator(): Uint8Array {
    return this.#state.keySchedule.epochAuthenticator.slice();
  }

  /** RFC 9420 §8.5 MLS-Exporter(label, context, length) for the current epoch. */
  async exportSecret(label: string, context: Uint8Array, length: number): Promise<Uint8Array> {
    if (!Number.isInteger(length) || length < 1 || length > 255 * 32)
      throw new TypeError('exporter length out of range');
    this.#assertActive();
    return mlsExporter(this.#state.keySchedule.exporterSecret, label, context, length, this.#cs);
  }

  /** Adds every KeyPackage in ONE commit (batched joins, research probe §2). */
  async addMembers(keyPackages: readonly Uint8Array[]): Promise<AddOutput> {
    if (keyPackages.length === 0) throw new TypeError('addMembers needs at least one KeyPackage');
    const out = await this.commitChanges(keyPackages, []);
    if (!out.welcome) throw new E2eeError('E2EE_ERR_MLS_STATE', 'no Welcome produced');
    return { commit: out.commit, welcome: out.welcome };
  }

  /** Removes the given leaves in one commit; the commit carries an UpdatePath (RFC 9420 §12.4). */
  async removeMembers(leaves: readonly LeafIndex[]): Promise<CommitOutput> {
    if (leaves.length === 0) throw new TypeError('removeMembers needs at least one leaf');
    const { commit } = await this.commitChanges([], leaves);
    return { commit };
  }

  /**
   * One commit with every Add and Remove (RFC 9420 §12.4); with nothing to change it is an
   * empty commit that still carries an UpdatePath and so refreshes this member's path keys.
   * The committer moves to the new epoch at once.
   */
  async commitChanges(
    add: readonly Uint8Array[],
    remove: readonly LeafIndex[],
  ): Promise<ChangesOutput> {
    const present = new Set(this.members().map((m) => m.leafIndex));
    const proposals: Proposal[] = [];
    for (const leaf of remove) {
      if (leaf === this.ownLeafIndex)
        throw new TypeError('a member cannot remove itself by commit');
      if (!present.has(leaf)) throw new TypeError(`leaf ${leaf} is not a member`);
      proposals.push({
        proposalType: 'remove',
        remove: { removed: leaf },
      });
    }
    for (const bytes of add) {
      const msg = decode(bytes);
      if (msg.wireformat !== 'mls_key_package') {
        throw new E2eeError('E2EE_ERR_MLS_MESSAGE', 'expected a KeyPackage');
      }
      proposals.push({ proposalType: 'add', add: { keyPackage: msg.keyPackage } });
    }
    const out = await this.#commit(proposals);
    return out.welcome ? { commit: out.commit, welcome: out.welcome } : { commit: out.commit };
  }

  /**
   * Application messages one at a time: each moves a generation ratchet (RFC 9420 §9.1) of the
   * state it started from, so two at once must not both start from the same state.
   */
  #oneAtATime<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#appChain.then(fn);
    this.#appChain = run.catch(() => undefined);
    return run;
  }

  /** RFC 9420 §6.3: an application message (PrivateMessage) only current members can open. */
  sealApplication(data: Uint8Array): Promise<Uint8Array> {
    return this.#oneAtATime(() => this.#seal(data));
  }

  async #seal(data: Uint8Array): Promise<Uint8Array> {
    this.#assertActive();
    const state = this.#state;
    // What ts-mls's createApplicationMessage refuses: pending proposals (§12.1), a group that
    // is not active.
    if (Object.keys(state.unappliedProposals).length !== 0)
      throw new E2eeError('E2EE_ERR_MLS_STATE', 'proposals are pending');
    let res;
    this.#inFlight++;
    try {
      res = await sealApplicationMessage(
        {
          signaturePrivateKey: state.signaturePrivateKey,
          senderDataSecret: state.keySchedule.senderDataSecret,
          groupContext: state.groupContext,
          secretTree: state.secretTree,
          leafIndex: state.privatePath.leafIndex,
          paddingConfig: state.clientConfig.paddingConfig,
        },
        data,
        this.#cs,
        this.#aeadKeys,
      );
    } catch (cause) {
      throw mlsError('E2EE_ERR_MLS_STATE', cause);
    } finally {
      this.#inFlight--;
    }
    this.#forget(res.consumed);
    // Only onto the state it was sealed from (a commit meanwhile: the message is of the old epoch).
    if (this.#state === state) this.#state = { ...state, secretTree: res.tree };
    this.#scheduleLookAhead(this.ownLeafIndex);
    return res.message;
  }

  /**
   * Opens an application message of the current epoch, or of an epoch that ended less than
   * PAST_EPOCH_GRACE_MS ago (sent before its sender saw the commit). The sender's signature is
   * verified by ts-mls against the leaf named in the (encrypted) sender data (RFC 9420 §6.3.2),
   * in the tree of the message's epoch; that epoch's generation ratchet refuses a replay.
   */
  openApplication(bytes: Uint8Array): Promise<OpenedApplication> {
    return this.#oneAtATime(() => this.#open(bytes));
  }

  async #open(bytes: Uint8Array): Promise<OpenedApplication> {
    this.#assertActive();
    const pm = readApplicationMessage(bytes) ?? decodePrivate(bytes);
    const past =
      pm.epoch < this.epoch && this.#recentlyEnded(pm.epoch)
        ? this.#state.historicalReceiverData.get(pm.epoch)
        : undefined;
    if (pm.contentType !== 'application' || (pm.epoch !== this.epoch && !past)) {
      throw new E2eeError('E2EE_ERR_MLS_MESSAGE', 'not an application message of this epoch');
    }
    const state = this.#state;
    const epochData = past ?? {
      senderDataSecret: state.keySchedule.senderDataSecret,
      secretTree: state.secretTree,
      ratchetTree: state.ratchetTree,
      groupContext: state.groupContext,
    };
    let result;
    this.#inFlight++;
    try {
      // RFC 9420 §6.3.2 sender data, §9 generation ratchet (consumed keys are deleted), AEAD,
      // then the signature over FramedContent by the sender's leaf key in that epoch's tree
      // (§6.1): application-message.ts, on ts-mls's ratchet.
      result = await openApplicationMessage(
        { ...epochData, keyRetention: state.clientConfig.keyRetentionConfig },
        pm,
        this.#cs,
        this.#aeadKeys,
      );
    } catch (cause) {
      throw mlsError('E2EE_ERR_MLS_MESSAGE', cause);
    } finally {
      this.#inFlight--;
    }
    // A commit was processed meanwhile: the epoch data it used is no longer this state's, so
    // nothing is wiped or recorded (the message is refused rather than open twice).
    if (this.#state !== state)
      throw new E2eeError('E2EE_ERR_MLS_MESSAGE', 'the keys changed while it was opened');
    this.#forget(result.consumed);
    this.#state = past
      ? {
          ...state,
          historicalReceiverData: new Map(state.historicalReceiverData).set(pm.epoch, {
            ...past,
            secretTree: result.tree,
          }),
        }
      : { ...state, secretTree: result.tree };
    const senderLeaf = result.senderLeaf;
    if (!past) this.#scheduleLookAhead(senderLeaf);
    const sender = epochData.ratchetTree[senderLeaf * 2];
    const senderIdentity =
      sender?.nodeType === 'leaf' ? identityFromCredential(sender.leaf.credential) : undefined;
    if (sender?.nodeType !== 'leaf' || !senderIdentity)
      throw new E2eeError('E2EE_ERR_MLS_MESSAGE', 'sender leaf is blank');
    return {
      epoch: pm.epoch,
      senderLeaf: senderLeaf as LeafIndex,
      senderIdentity,
      senderSignatureKey: sender.leaf.signaturePublicKey.slice(),
      data: result.applicationData,
    };
  }

  /** Used secrets: wiped, and an AEAD key imported ahead from them is let go. */
  #forget(consumed: readonly Uint8Array[]): void {
    for (const secret of consumed) {
      this.#aeadKeys.drop(secret);
      wipe(secret);
    }
  }

  /** Settles once the look-ahead after the last application message is done (tests). */
  lookAheadSettled(): Promise<void> {
    return this.#lookAhead;
  }

  /** `leaf`'s next application key and nonce, derived while idle (ratchet-look-ahead.ts). */
  #scheduleLookAhead(leaf: number): void {
    this.#lookAhead = new Promise<void>((resolve) => {
      const timer = setTimeout(
        () => void this.#deriveAhead(leaf).finally(resolve),
        LOOK_AHEAD_DELAY_MS,
      );
      (timer as { unref?: () => void }).unref?.();
    });
  }

  async #deriveAhead(leaf: number): Promise<void> {
    const before = this.#state;
    if (before.groupActiveState.kind !== 'active' || this.#inFlight > 0) return;
    let next;
    try {
      next = await withNextApplicationKey(before, leaf, this.#cs);
    } catch {
      return; // The leaf left meanwhile: its next message, if any, derives its own keys.
    }
    // Only onto the state it was derived from, with no message sealed or opened meanwhile.
    if (this.#state === before && this.#inFlight === 0) {
      this.#state = next;
      const key = nextApplicationKey(next, leaf);
      if (key) this.#aeadKeys.prepare(key);
    } else dropNextApplicationKey(next, before, leaf, wipe);
  }

  #recentlyEnded(epoch: bigint): boolean {
    const ended = this.#epochEnded.get(epoch);
    return ended !== undefined && Date.now() - ended <= PAST_EPOCH_GRACE_MS;
  }

  /** The group moved on from `epoch` just now. */
  #ended(epoch: bigint): void {
    this.#epochEnded.set(epoch, Date.now());
    for (const e of this.#epochEnded.keys())
      if (!this.#state.historicalReceiverData.has(e)) this.#epochEnded.delete(e);
  }

  /** Processes a Commit from another member; returns the new epoch or that we were removed. */
  async processCommit(commit: Uint8Array): Promise<CommitResult> {
    this.#assertActive();
    const msg = decode(commit);
    if (msg.wireformat !== 'mls_private_message' && msg.wireformat !== 'mls_public_message') {
      throw new E2eeError('E2EE_ERR_MLS_MESSAGE', 'expected a Commit');
    }
    let isCommit = false;
    let result;
    try {
      result = await processMessage(
        msg,
        this.#state,
        emptyPskIndex,
        (incoming) => {
          isCommit = incoming.kind === 'commit';
          return isCommit ? 'accept' : 'reject';
        },
        this.#cs,
      );
    } catch (cause) {
      throw mlsError('E2EE_ERR_MLS_MESSAGE', cause);
    }
    if (result.kind !== 'newState' || !isCommit)
      throw new E2eeError('E2EE_ERR_MLS_MESSAGE', 'expected a Commit');
    result.consumed.forEach(wipe);
    const before = this.epoch;
    this.#state = result.newState;
    this.#ended(before);
    if (this.#state.groupActiveState.kind === 'removedFromGroup')
      return { kind: 'removed', epoch: this.epoch };
    return { kind: 'epoch', epoch: this.epoch };
  }

  async #commit(
    proposals: Proposal[],
  ): Promise<{ commit: Uint8Array; welcome: Uint8Array | undefined }> {
    this.#assertActive();
    let res;
    try {
      res = await createCommit(
        { state: this.#state, cipherSuite: this.#cs },
        { extraProposals: proposals, ratchetTreeExtension: true },
      );
    } catch (cause) {
      throw mlsError('E2EE_ERR_MLS_STATE', cause);
    }
    res.consumed.forEach(wipe);
    const before = this.#ownLeafKey();
    const epochBefore = this.epoch;
    this.#state = res.newState;
    this.#ended(epochBefore);
    // A private message sealed to our old leaf key may still be in flight: keep a few.
    if (before && before !== this.#ownLeafKey())
      this.#oldLeafKeys = [before, ...this.#oldLeafKeys].slice(0, 4);
    const commit = encodeMlsMessage(res.commit);
    const welcome = res.welcome
      ? encodeMlsMessage({ version: 'mls10', wireformat: 'mls_welcome', welcome: res.welcome })
      : undefined;
    return { commit, welcome };
  }

  #ownLeafKey(): Uint8Array | undefined {
    return this.#state.privatePath.privateKeys[this.#state.privatePath.leafIndex * 2];
  }

  /**
   * RFC 9420 §5.1.3 EncryptWithLabel to one member's leaf HPKE key (its `encryption_key`): only
   * that member can open it, not the rest of the group that shares the epoch's secrets.
   */
  async sealToMember(
    leaf: LeafIndex,
    label: string,
    context: Uint8Array,
    plaintext: Uint8Array,
  ): Promise<{ kemOutput: Uint8Array; ciphertext: Uint8Array }> {
    this.#assertActive();
    const node = this.#state.ratchetTree[leaf * 2];
    if (node?.nodeType !== 'leaf') throw new E2eeError('E2EE_ERR_MLS_STATE', 'no such member');
    const pub = await this.#cs.hpke.importPublicKey(node.leaf.hpkePublicKey);
    const { ct, enc } = await encryptWithLabel(pub, label, context, plaintext, this.#cs.hpke);
    return { kemOutput: enc, ciphertext: ct };
  }

  /** RFC 9420 §5.1.3 DecryptWithLabel with this member's leaf key (current or recent). */
  async openAsMember(
    label: string,
    context: Uint8Array,
    kemOutput: Uint8Array,
    ciphertext: Uint8Array,
  ): Promise<Uint8Array> {
    this.#assertActive();
    const current = this.#ownLeafKey();
    for (const raw of current ? [current, ...this.#oldLeafKeys] : this.#oldLeafKeys) {
      try {
        const key = await this.#cs.hpke.importPrivateKey(raw);
        return await decryptWithLabel(key, label, context, kemOutput, ciphertext, this.#cs.hpke);
      } catch {
        // try the previous leaf key
      }
    }
    throw new E2eeError('E2EE_ERR_MLS_MESSAGE', 'not sealed for this member');
  }

  #assertActive(): void {
    if (!this.active) throw new E2eeError('E2EE_ERR_NOT_A_MEMBER');
  }
}
