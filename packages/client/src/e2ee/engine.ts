import {
  E2eeError,
  GroupSession,
  MlsFrameKeyring,
  SigningKey,
  exportDeviceKey,
  securityCode,
  signDeviceBinding,
  toLeafIndex,
  verifyDeviceBinding,
} from '@conclave/e2ee';
import type {
  CryptoBackend,
  Member,
  MeetingPolicy,
  MemberIdentity,
  PendingJoin,
  UnsupportedClientRule,
} from '@conclave/e2ee';
import { toBase64 } from './base64';
import { BOARD_EXPORTER_LABEL, BoardKeys } from './board-keys';
import type { DeviceKeyStore } from './device-keys';
import { DeviceTrustBook, type DeviceTrust } from './device-trust';
import { checkJoiner, type ExpectedDevice, type RefusedKeyPackage } from './expected-devices';
import { checkPreparedRoster } from './prepared-roster';
import {
  PRIVATE_CHAT_LABEL,
  decodeChatPayload,
  encodeChatPayload,
  privateChatContext,
} from './chat-payload';
import type { ControlMessage } from './control-message';
import { decodeControl, encodeControl } from './control-message';
import { clearByteCount } from './frame-layout';
import type { MediaKind } from './frame-layout';
import { SEND_SWITCH_DELAY_MS } from './timing';

export interface EngineStatus {
  inGroup: boolean;
  epoch: number | null;
  securityCode: string | null;
  /** The devices that hold the key: the MLS roster (DESIGN.md §4.1 rule 7), one per leaf. */
  roster: RosterEntry[];
  /** Frames are sealed and only sealed frames are accepted. */
  encrypting: boolean;
  /** The policy fixed in the group when E2EE was turned on (who may turn it off, and so on). */
  policy: MeetingPolicy | null;
  /** A later commit tried to change that policy: the first one stays in force (and is shown). */
  policyChanged: boolean;
}

export interface RosterEntry extends MemberIdentity {
  leafIndex: number;
  /** The leaf's MLS signature public key (base64): public, shown as a fingerprint. */
  signatureKey: string;
  /** Signed-in and met before, met for the first time, a new device, or a guest. */
  trust: DeviceTrust;
}

export interface CommitOut {
  /** undefined: every KeyPackage was refused and there was nothing else to commit. */
  commit: Uint8Array | undefined;
  welcome?: Uint8Array;
  /** Indexes (into the request's KeyPackages) that this commit adds. */
  added: number[];
  refused: RefusedKeyPackage[];
}

/** A chat message opened on this device: the sender is the MLS leaf, not the server's word. */
export interface OpenedChat {
  from: string;
  fromName: string;
  /** null: to everyone; else this device (a private message sealed to its leaf). */
  to: string | null;
  text: string;
}

export interface FrameCounters {
  encrypted: number;
  decrypted: number;
  decryptFailed: number;
  droppedNoKey: number;
  passedThrough: number;
  /** Senders and receivers whose frames run through this engine. */
  senders: number;
  receivers: number;
}

export interface EngineOptions {
  backend: CryptoBackend;
  /** Two-phase switch: send keys change this long after a commit is processed. */
  sendSwitchDelayMs?: number;
  graceMs?: number;
  now?: () => number;
  /** Long-term device keys and the device keys of people met before (signed-in users). */
  deviceKeys?: DeviceKeyStore;
}

/**
 * What the status shows of one epoch of a group: its security code and its leaves (credentials
 * decoded, signature keys in base64). Worked out once per epoch, and for a prepared breakout
 * group when it is made, so that promoting it (issue 18) decodes nothing.
 */
interface EpochRoster {
  readonly epoch: bigint;
  readonly securityCode: string;
  readonly members: readonly { readonly member: Member; readonly signatureKey: string }[];
}

/** A planned breakout room's pending group with its keys ready (issue 18). */
interface PreparedGroup {
  session: GroupSession;
  policy: MeetingPolicy | null;
  keyring: MlsFrameKeyring;
  board: BoardKeys;
}

/**
 * The E2EE state of one device: MLS group, frame keys, counters. Runs inside the E2EE Worker in
 * browsers (keys never leave it) and in-process in Node bots.
 */
export class E2eeEngine {
  readonly #opts: EngineOptions;
  #identity: MemberIdentity | undefined;
  /** The account this device is signed in as (null: a guest). */
  #account: string | null = null;
  /** #identity with this session's device binding, once made. */
  #bound: MemberIdentity | undefined;
  readonly #trust: DeviceTrustBook;
  /** This device's MLS signature key for the whole session (announced at join, pinned by all). */
  #signingKey: SigningKey | undefined;
  /** Devices announced in this meeting, by device id, with their pinned keys. */
  #devices = new Map<string, ExpectedDevice>();
  /** Joining from a Welcome: leaves of devices we never saw announced are let through (shown). */
  #joining = false;
  /** The group's policy as this device first read it (creation or Welcome); never replaced. */
  #policy: MeetingPolicy | null = null;
  #policyChanged = false;
  /** Recent KeyPackages not yet used: a Welcome may answer any of them (newest first). */
  #pending: PendingJoin[] = [];
  #session: GroupSession | undefined;
  /** A planned breakout room's pending group (issue 18), promoted only when the rooms open. */
  #prepared: PreparedGroup | undefined;
  #keyring: MlsFrameKeyring;
  /** Whiteboard keys of the last few epochs (exporter-derived). */
  #board: BoardKeys;
  /** TEST ONLY: a receive keyring holding a wrong key, to show what a device with bad keys gets. */
  #wrongReceiveKeys: MlsFrameKeyring | undefined;
  /** Encrypt outgoing frames and require incoming ones to be sealed. */
  #encrypting = false;
  /** Video frames were dropped since the last keyframe: the decoder needs a new one. */
  #videoBroken = false;
  #lastKeyFrameRequest = 0;
  /** Called when the decoder would otherwise wait for the next periodic keyframe. */
  onKeyFrameNeeded: (() => void) | undefined;
  /** The last reason a frame was dropped (diagnostics; no key material). */
  lastDecryptError: string | undefined;
  /** Each group's roster of its current epoch, as `status` shows it (see EpochRoster). */
  readonly #rosters = new WeakMap<GroupSession, EpochRoster>();
  readonly counters: FrameCounters = {
    encrypted: 0,
    decrypted: 0,
    decryptFailed: 0,
    droppedNoKey: 0,
    passedThrough: 0,
    senders: 0,
    receivers: 0,
  };

  constructor(opts: EngineOptions) {
    this.#opts = opts;
    this.#keyring = this.#newKeyring();
    this.#trust = new DeviceTrustBook(opts.deviceKeys);
    this.#board = new BoardKeys(opts.backend);
  }

  #newKeyring(): MlsFrameKeyring {
    return new MlsFrameKeyring({
      backend: this.#opts.backend,
      sendSwitchDelayMs: this.#opts.sendSwitchDelayMs ?? SEND_SWITCH_DELAY_MS,
      ...(this.#opts.graceMs !== undefined ? { graceMs: this.#opts.graceMs } : {}),
      ...(this.#opts.now ? { now: this.#opts.now } : {}),
    });
  }

  /**
   * Who this device is. A signed-in device (`accountUserId`) binds its session key to its
   * long-term device key and loads the device keys of the people it has met.
   */
  async init(identity: MemberIdentity, accountUserId: string | null = null): Promise<void> {
    if (this.#identity?.deviceId !== identity.deviceId || this.#account !== accountUserId)
      this.#bound = undefined;
    this.#identity = identity;
    this.#account = this.#opts.deviceKeys ? accountUserId : null;
    try {
      if (this.#account && this.#opts.deviceKeys) {
        const pair = await this.#opts.deviceKeys.deviceKey(this.#account);
        const deviceKey = toBase64(await exportDeviceKey(pair.publicKey));
        await this.#trust.load({ accountUserId: this.#account, deviceKey });
      } else await this.#trust.load();
    } catch {
      // No usable key store (a private window without IndexedDB): this device takes part as an
      // unverified guest rather than not at all; the roster says so.
      this.#account = null;
    }
  }

  /** RFC 9420 §5.3: the identity in this device's credential, with its device binding. */
  async #ownIdentity(): Promise<MemberIdentity> {
    const identity = this.#requireIdentity();
    this.#signingKey ??= await SigningKey.generate();
    const store = this.#opts.deviceKeys;
    if (!this.#account || !store) return identity;
    if (!this.#bound || this.#bound.deviceId !== identity.deviceId) {
      const pair = await store.deviceKey(this.#account);
      const device = await signDeviceBinding(pair, this.#account, this.#signingKey.publicKey);
      this.#bound = { ...identity, device };
    }
    return { ...this.#bound, displayName: identity.displayName };
  }

  /** Someone here accepted a known person's new device (after checking with them). */
  async trustDevice(accountUserId: string, deviceKey: string): Promise<void> {
    await this.#trust.accept(accountUserId, deviceKey);
  }

  /** This device's MLS signature public key, made once per session (it is announced at join). */
  async signingPublicKey(): Promise<Uint8Array> {
    this.#signingKey ??= await SigningKey.generate();
    return this.#signingKey.publicKey.slice();
  }

  /** The devices signaling announced (pinned keys, who may be added now). */
  setExpectedDevices(devices: ExpectedDevice[]): void {
    this.#devices = new Map(devices.map((d) => [d.deviceId, d]));
  }

  /**
   * RFC 9420 §5.3.1 credential validation, installed in every session: a leaf must be a device
   * announced in this meeting with the signature key it announced. While joining, leaves of
   * devices this device never saw (one that left a moment ago) pass and are shown in the
   * roster check; in every commit after that they are refused.
   */
  readonly #validate = async (
    identity: MemberIdentity,
    signaturePublicKey: Uint8Array,
  ): Promise<boolean> => {
    // A signed-in leaf's device binding must vouch for this very key (§5.3.1).
    if (identity.device && !(await verifyDeviceBinding(identity.device, signaturePublicKey)))
      return false;
    const device = this.#devices.get(identity.deviceId);
    if (!device) return this.#joining;
    return (
      device.userId === identity.userId &&
      device.signatureKey === toBase64(signaturePublicKey) &&
      device.accountUserId === (identity.device?.accountUserId ?? null)
    );
  };

  #sessionOptions() {
    return {
      validator: this.#validate,
      backend: this.#opts.backend,
      ...(this.#signingKey ? { signingKey: this.#signingKey } : {}),
    };
  }

  #requireIdentity(): MemberIdentity {
    if (!this.#identity) throw new E2eeError('E2EE_ERR_MLS_STATE', 'identity not set');
    return this.#identity;
  }

  /** RFC 9420 §10: a fresh KeyPackage; its private part stays here for the Welcome. */
  async makeKeyPackage(): Promise<Uint8Array> {
    const identity = await this.#ownIdentity();
    const kp = await GroupSession.makeKeyPackage(identity, this.#signingKey, this.#opts.backend);
    this.#pending = [kp, ...this.#pending].slice(0, 4);
    return kp.keyPackage;
  }

  /** The host's device starts the group (epoch 0) and adds everyone in one commit. */
  async createGroup(
    keyPackages: Uint8Array[],
    unsupportedClients: UnsupportedClientRule,
    offKeys?: string[],
  ): Promise<CommitOut> {
    // A device that was dropping frames (restarting E2EE after a failover) keeps dropping them
    // until the new group's keys are installed: never a frame in the clear in between.
    const encrypting = this.#encrypting;
    this.#reset();
    this.#encrypting = encrypting;
    const identity = await this.#ownIdentity();
    this.#signingKey ??= await SigningKey.generate();
    // Only this device may turn E2EE off, and the unsupported-client rule is fixed now.
    // A breakout room's group (issue 18) carries the main group's policy unchanged.
    const policy = {
      offKeys: offKeys ?? [toBase64(this.#signingKey.publicKey)],
      unsupportedClients,
    };
    this.#session = await GroupSession.create(identity, {
      ...this.#sessionOptions(),
      policy,
    });
    this.#policy = policy;
    const out = await this.commit(keyPackages, []);
    if (!out) throw new E2eeError('E2EE_ERR_MLS_STATE', 'new group is not at epoch 0');
    return out;
  }

  /**
   * One commit that adds and removes (batched); frame keys move to the new epoch. With `atEpoch`
   * (the epoch the Delivery Service asked about) nothing happens and null is returned when the
   * group has moved on: a stale request must not fork this device's state.
   */
  async commit(
    add: Uint8Array[],
    removeUserIds: string[],
    atEpoch?: number,
  ): Promise<CommitOut | null> {
    const session = this.#requireSession();
    if (atEpoch !== undefined && session.epoch !== BigInt(atEpoch)) return null;
    const out = await this.#commitOn(session, add, removeUserIds);
    if (out.commit) await this.#installEpoch();
    return out;
  }

  /** Checks every KeyPackage, then commits the accepted ones and the removals in `session`. */
  async #commitOn(
    session: GroupSession,
    add: Uint8Array[],
    removeUserIds: string[],
  ): Promise<CommitOut> {
    const members = session.members();
    const leaves = members
      .filter(
        (m) => removeUserIds.includes(m.identity.userId) && m.leafIndex !== session.ownLeafIndex,
      )
      .map((m) => toLeafIndex(m.leafIndex));
    // Every KeyPackage is checked against what signaling announced before it is added; one
    // that fails is left out (and reported), never allowed to block the others.
    const staying = members.filter((m) => !leaves.includes(m.leafIndex));
    const accepted: Uint8Array[] = [];
    const addedIndexes: number[] = [];
    const refused: RefusedKeyPackage[] = [];
    for (const [i, kp] of add.entries()) {
      const inspected = GroupSession.inspectKeyPackage(kp);
      const verdict = checkJoiner(
        inspected,
        this.#devices,
        staying.map((m) => m.identity),
        inspected?.identity.device
          ? await verifyDeviceBinding(inspected.identity.device, inspected.signaturePublicKey)
          : true,
      );
      if (verdict.ok) {
        accepted.push(kp);
        addedIndexes.push(i);
      } else refused.push({ index: i, ...verdict.refused });
    }
    if (accepted.length === 0 && leaves.length === 0 && add.length > 0)
      return { commit: undefined, added: [], refused };
    const out = await session.commitChanges(accepted, leaves);
    return { ...out, added: addedIndexes, refused };
  }

  /**
   * Prepared breakout groups (issue 18): a planned room's group made ahead by its starter, with
   * the meeting's policy carried like a room group's; no frame key changes until it is promoted.
   */
  async prepareGroup(
    keyPackages: Uint8Array[],
    unsupportedClients: UnsupportedClientRule,
    offKeys?: string[],
  ): Promise<CommitOut> {
    const identity = await this.#ownIdentity();
    this.#signingKey ??= await SigningKey.generate();
    const policy = {
      offKeys: offKeys ?? [toBase64(this.#signingKey.publicKey)],
      unsupportedClients,
    };
    const session = await GroupSession.create(identity, { ...this.#sessionOptions(), policy });
    const out = await this.#commitOn(session, keyPackages, []);
    // Epoch 1 like a started room group, even when every KeyPackage was refused.
    const commit = out.commit ?? (await session.commitChanges([], [])).commit;
    this.#prepared = await this.#withKeys(session, policy);
    return { ...out, commit };
  }

  /** A starter's Welcome into a planned room's pending group (the active group stays). */
  async joinPrepared(welcome: Uint8Array): Promise<void> {
    const session = await this.#openWelcome(welcome);
    this.#prepared = await this.#withKeys(session, session.policy() ?? null);
  }

  /**
   * Its frame and whiteboard keys, security code and roster are worked out now, so that
   * promoting it costs nothing but the check of its roster against the room.
   */
  async #withKeys(session: GroupSession, policy: MeetingPolicy | null): Promise<PreparedGroup> {
    this.#rosterOf(session);
    const keyring = this.#newKeyring();
    await keyring.installFrom(session);
    const board = new BoardKeys(this.#opts.backend);
    await board.install(
      session.epoch,
      await session.exportSecret(BOARD_EXPORTER_LABEL, new Uint8Array(0), 32),
    );
    return { session, policy, keyring, board };
  }

  /**
   * The rooms opened: the pending group becomes this device's group only if its leaves are
   * exactly `members` (the people in this device's room), each with the key its device
   * announced (RFC 9420 §5.3.1); otherwise it is discarded and the reason returned. `leave`: this
   * device moved and its old group was not left yet: it is left first, whatever the verdict
   * (frames dropped, never clear, as after `abandonGroup`), in this same step.
   */
  async promotePrepared(
    members: string[],
    leave = false,
  ): Promise<{ ok: true } | { ok: false; reason: string }> {
    const prepared = this.#prepared;
    this.#prepared = undefined;
    if (leave) this.abandonGroup();
    if (!prepared) return { ok: false, reason: 'no prepared group' };
    const verdict = checkPreparedRoster(
      this.#rosterOf(prepared.session).members,
      members,
      this.#devices,
    );
    if (!verdict.ok) return verdict;
    this.#reset();
    this.#session = prepared.session;
    this.#policy = prepared.policy;
    this.#keyring = prepared.keyring;
    this.#board = prepared.board;
    this.#encrypting = true;
    return { ok: true };
  }

  /** The plan changed or the rooms opened differently: the pending group is forgotten. */
  discardPrepared(): void {
    this.#prepared = undefined;
  }

  async processCommit(bytes: Uint8Array): Promise<'epoch' | 'removed'> {
    const result = await this.#requireSession().processCommit(bytes);
    if (result.kind === 'removed') {
      // RFC 9420 §12.4: removed; nothing of the next epoch is ours to know. The meeting is still
      // encrypted, so frames keep being dropped rather than shown or sent in the clear.
      this.#reset();
      this.#encrypting = true;
      return 'removed';
    }
    // Only a GroupContextExtensions proposal could change it; our devices never make one.
    if (JSON.stringify(this.#session?.policy() ?? null) !== JSON.stringify(this.#policy))
      this.#policyChanged = true;
    await this.#installEpoch();
    return 'epoch';
  }

  async joinFromWelcome(bytes: Uint8Array): Promise<void> {
    const session = await this.#openWelcome(bytes);
    this.#reset();
    // A Welcome means the meeting is encrypted: while this epoch's keys are being installed
    // (awaits below), frames are dropped, never sent or shown in the clear.
    this.#encrypting = true;
    this.#session = session;
    this.#policy = session.policy() ?? null;
    await this.#installEpoch();
  }

  /** RFC 9420 §12.4.3.1: joins with whichever pending KeyPackage the Welcome answers (used once). */
  async #openWelcome(bytes: Uint8Array): Promise<GroupSession> {
    if (this.#pending.length === 0)
      throw new E2eeError('E2EE_ERR_MLS_STATE', 'no KeyPackage pending');
    let lastError: unknown;
    for (const pending of this.#pending) {
      try {
        this.#joining = true;
        const session = await GroupSession.joinFromWelcome(
          bytes,
          pending,
          this.#sessionOptions(),
        ).finally(() => {
          this.#joining = false;
        });
        this.#pending = this.#pending.filter((p) => p !== pending);
        return session;
      } catch (err) {
        lastError = err;
      }
    }
    throw lastError;
  }

  async #installEpoch(): Promise<void> {
    const session = this.#requireSession();
    await this.#board.install(
      session.epoch,
      await session.exportSecret(BOARD_EXPORTER_LABEL, new Uint8Array(0), 32),
    );
    await this.#keyring.installFrom(session);
    this.#encrypting = true;
  }

  /** RFC 9420 §6.3.1: a control message only group members can read or make. */
  async sealControl(message: ControlMessage): Promise<Uint8Array> {
    return this.#requireSession().sealApplication(encodeControl(message));
  }

  /** Opens a control message; undefined when it is not an authentic one from this group. */
  async openControl(
    bytes: Uint8Array,
  ): Promise<{ sender: MemberIdentity; senderKey: string; message: ControlMessage } | undefined> {
    const session = this.#session;
    if (!session) return undefined;
    try {
      const {
        senderIdentity: sender,
        senderSignatureKey,
        data,
      } = await session.openApplication(bytes);
      const message = decodeControl(data);
      return sender && message
        ? { sender, senderKey: toBase64(senderSignatureKey), message }
        : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * A chat message as an MLS application message (RFC 9420 §6.3.1). `to` (a device id): the text
   * is sealed to that member's leaf key with EncryptWithLabel (§5.1.3) inside it.
   */
  async sealChat(text: string, to: string | null): Promise<Uint8Array> {
    const session = this.#requireSession();
    if (to === null) return session.sealApplication(encodeChatPayload({ kind: 'chat', text }));
    const recipient = session.members().find((m) => m.identity.deviceId === to);
    if (!recipient || recipient.leafIndex === session.ownLeafIndex)
      throw new E2eeError('E2EE_ERR_NOT_A_MEMBER', 'the recipient does not hold the key');
    const context = privateChatContext(
      session.groupId,
      session.epoch,
      session.ownLeafIndex,
      recipient.leafIndex,
    );
    const sealed = await session.sealToMember(
      toLeafIndex(recipient.leafIndex),
      PRIVATE_CHAT_LABEL,
      context,
      new TextEncoder().encode(text),
    );
    return session.sealApplication(encodeChatPayload({ kind: 'chat-private', to, ...sealed }));
  }

  /** A whiteboard update sealed with this epoch's exporter-derived key (board-keys.ts). */
  sealBoard(update: Uint8Array): Promise<Uint8Array> {
    this.#requireSession();
    return this.#board.seal(update);
  }

  /** undefined: not sealed for an epoch this device holds (yet, or any more). */
  openBoard(sealed: Uint8Array): Promise<Uint8Array | undefined> {
    return this.#board.open(sealed);
  }

  /**
   * Opens a chat message; undefined when it is not one this device may read. A message sealed
   * in the epoch that just ended still opens (RFC 9420 §15.2, PAST_EPOCH_GRACE_MS).
   */
  async openChat(bytes: Uint8Array): Promise<OpenedChat | undefined> {
    const session = this.#session;
    if (!session?.active) return undefined;
    try {
      // Sent in this epoch or one that just ended (the sender had not seen the commit yet).
      const {
        epoch,
        senderLeaf,
        senderIdentity: sender,
        data,
      } = await session.openApplication(bytes);
      const payload = decodeChatPayload(data);
      if (!payload) return undefined;
      const from = { from: sender.deviceId, fromName: sender.displayName };
      if (payload.kind === 'chat') return { ...from, to: null, text: payload.text };
      const self = this.#identity?.deviceId;
      if (payload.to !== self) return undefined;
      const context = privateChatContext(session.groupId, epoch, senderLeaf, session.ownLeafIndex);
      const plain = await session.openAsMember(
        PRIVATE_CHAT_LABEL,
        context,
        payload.kemOutput,
        payload.ciphertext,
      );
      return { ...from, to: self, text: new TextDecoder('utf-8', { fatal: true }).decode(plain) };
    } catch {
      return undefined;
    }
  }

  /**
   * For audits in Node tests only (never reachable through the worker's messages): the secrets
   * this device derived for the current epoch, so a test can prove the server never saw them.
   */
  async secretsForAudit(): Promise<Uint8Array[]> {
    const session = this.#requireSession();
    const out = [
      await session.exportSecret('SFrame 1.0 Base Key', new Uint8Array(0), 16),
      session.epochAuthenticator(),
    ];
    for (const m of session.members()) {
      const { key, salt } = await this.#keyring.senderKeyMaterial(session.epoch, m.leafIndex);
      out.push(key, salt);
    }
    return out;
  }

  /**
   * The meeting went end-to-end encrypted (or stopped being so) before this device has keys.
   * On: drop frames both ways until keys arrive, never send or show them in the clear. Off is
   * honoured only while this device is outside the group; inside, only an authenticated
   * "e2ee-off" from the host's device turns encryption off.
   */
  expectEncryption(on: boolean): void {
    if (on) this.#encrypting = true;
    else if (!this.#session?.active) this.#encrypting = false;
  }

  /**
   * TEST ONLY: from now on this device opens frames with a random key for the current epoch,
   * like a device whose key schedule went wrong. It only ever hurts this device.
   */
  async corruptReceiveKeys(): Promise<void> {
    const session = this.#requireSession();
    const wrong = this.#newKeyring();
    await wrong.install({
      epoch: session.epoch,
      baseKey: this.#opts.backend.randomBytes(this.#keyring.suite.nk),
      ownLeafIndex: session.ownLeafIndex,
      members: session.members().map((m) => m.leafIndex),
    });
    this.#wrongReceiveKeys = wrong;
  }

  /**
   * This device's group state is no longer the group's (a commit it made was refused): forget
   * it and wait for a new Welcome. The meeting is still encrypted, so frames keep being dropped.
   */
  abandonGroup(): void {
    this.#reset();
    this.#encrypting = true;
  }

  /** After an authenticated "e2ee-off": stop sealing, forget the group. */
  turnOff(): void {
    this.#reset();
  }

  #reset(): void {
    this.#session = undefined;
    this.#policy = null;
    this.#policyChanged = false;
    this.#keyring.clear();
    this.#keyring = this.#newKeyring();
    this.#board.clear();
    this.#encrypting = false;
  }

  #requireSession(): GroupSession {
    if (!this.#session?.active) throw new E2eeError('E2EE_ERR_NOT_A_MEMBER');
    return this.#session;
  }

  /** `session`'s roster and security code in its current epoch (worked out once per epoch). */
  #rosterOf(session: GroupSession): EpochRoster {
    const known = this.#rosters.get(session);
    if (known?.epoch === session.epoch) return known;
    const roster: EpochRoster = {
      epoch: session.epoch,
      securityCode: securityCode(session.epochAuthenticator()),
      members: session
        .members()
        .map((member) => ({ member, signatureKey: toBase64(member.signaturePublicKey) })),
    };
    this.#rosters.set(session, roster);
    return roster;
  }

  status(): EngineStatus {
    const s = this.#session?.active ? this.#session : undefined;
    const epochRoster = s ? this.#rosterOf(s) : undefined;
    return {
      inGroup: Boolean(s),
      epoch: s ? Number(s.epoch) : null,
      securityCode: epochRoster?.securityCode ?? null,
      roster:
        s && epochRoster
          ? epochRoster.members.map(({ member: m, signatureKey }) => ({
              ...m.identity,
              leafIndex: m.leafIndex,
              signatureKey,
              // Per call: a person may accept a new device meanwhile (trustDevice).
              trust: this.#trust.classify(m.identity, signatureKey, m.leafIndex === s.ownLeafIndex),
            }))
          : [],
      encrypting: this.#encrypting,
      policy: s ? this.#policy : null,
      policyChanged: Boolean(s) && this.#policyChanged,
    };
  }

  /**
   * Seals one encoded frame: clear codec header (authenticated as metadata) || SFrame(payload).
   * Returns undefined when E2EE is on but this device has no key yet: the frame is dropped,
   * never sent in the clear.
   */
  async encryptFrame(
    data: Uint8Array,
    kind: MediaKind,
    isKeyFrame: boolean,
  ): Promise<Uint8Array | undefined> {
    if (!this.#encrypting) {
      this.counters.passedThrough++;
      return data;
    }
    if (this.#keyring.sendEpoch === undefined) {
      this.counters.droppedNoKey++;
      return undefined;
    }
    const clear = Math.min(clearByteCount(kind, isKeyFrame), data.length);
    const metadata = data.subarray(0, clear);
    const sealed = await this.#keyring.encrypt(data.subarray(clear), metadata);
    const out = new Uint8Array(clear + sealed.length);
    out.set(metadata, 0);
    out.set(sealed, clear);
    this.counters.encrypted++;
    return out;
  }

  /**
   * DESIGN.md §4.2 "a keyframe is requested after every key change": when video decrypts again
   * after drops, a delta frame cannot be decoded, so ask for a keyframe (at most twice a second).
   */
  #afterVideoFrame(isKeyFrame: boolean): void {
    if (isKeyFrame) {
      this.#videoBroken = false;
      return;
    }
    const now = (this.#opts.now ?? Date.now)();
    if (this.#videoBroken && now - this.#lastKeyFrameRequest >= 500) {
      this.#lastKeyFrameRequest = now;
      this.onKeyFrameNeeded?.();
    }
  }

  /** Opens one frame; undefined means drop it (tampered, unknown sender, expired epoch). */
  async decryptFrame(
    data: Uint8Array,
    kind: MediaKind,
    isKeyFrame: boolean,
  ): Promise<Uint8Array | undefined> {
    const clear = Math.min(clearByteCount(kind, isKeyFrame), data.length);
    if (this.#keyring.currentEpoch === undefined) {
      if (this.#encrypting) {
        this.counters.droppedNoKey++;
        if (kind === 'video') this.#videoBroken = true;
        return undefined;
      }
      this.counters.passedThrough++;
      return data;
    }
    try {
      const metadata = data.subarray(0, clear);
      const { plaintext } = await (this.#wrongReceiveKeys ?? this.#keyring).decrypt(
        data.subarray(clear),
        metadata,
      );
      const out = new Uint8Array(clear + plaintext.length);
      out.set(metadata, 0);
      out.set(plaintext, clear);
      this.counters.decrypted++;
      if (kind === 'video') this.#afterVideoFrame(isKeyFrame);
      return out;
    } catch (err) {
      this.counters.decryptFailed++;
      if (kind === 'video') this.#videoBroken = true;
      this.lastDecryptError = `${kind}/${isKeyFrame ? 'key' : 'delta'}: ${err instanceof Error ? err.message : String(err)}`;
      return undefined;
    }
  }
}
