import type {
  Capabilities,
  ChatMessage,
  E2eeState,
  KeyPackageEntry,
  Participant,
  ParticipantId,
  SealedChatMessage,
  ServerEvent,
} from '@conclave/protocol';
import type { MemberIdentity } from '@conclave/e2ee';
import type { SignalClient } from '../signal/signal-client';
import { TypedEmitter } from '../typed-emitter';
import type { E2eeView, JoinFailure } from './e2ee-view';
import { fromBase64, toBase64 } from './base64';
import type { E2eeOffMessage } from './control-message';
import type { CommitOut, EngineStatus, FrameCounters } from './engine';
import { describeRefusal } from './expected-devices';
import { tellRefusals } from './refusal-report';
import { DevicePins } from './device-pins';
import { DowngradeGuard } from './downgrade-guard';
import { rosterWarnings } from './roster-check';
import { attachTransform } from './media-transform';
import type { MediaKind } from './frame-layout';
import { SEND_SWITCH_DELAY_MS } from './timing';
import type { E2eeWorkerClient } from './worker-client';
import { PreparedBreakouts } from './prepared-breakouts';
import { SpareKeyPackage } from './spare-key-package';
import { openedChatMessage } from './opened-chat';

export type { DowngradeCountdown, E2eeView, JoinFailure } from './e2ee-view';

export type E2eeManagerEvents = {
  view: [E2eeView];
  /** A sentence for a banner: on, off, downgrade, member change, ignored forgeries. */
  banner: [{ tone: 'info' | 'warning'; text: string }];
  /** The host's device: E2EE can be turned back on (the unsupported participant left). */
  reenableOffered: [string];
  /** An authenticated "E2EE off" took effect (true: this device sent it). */
  turnedOff: [boolean];
  /** This device holds its pending group of the breakout plan (issue 18). */
  prepared: [string];
};

export interface E2eeManagerDeps {
  /** How long the host's device waits before a downgrade it did not ask for (default 10 s). */
  downgradeDelayMs?: number;
  capabilities: Capabilities;
  worker: E2eeWorkerClient | null;
  selfId: () => ParticipantId | undefined;
  participants: () => Participant[];
  isHost: () => boolean;
  /** The breakout room a participant is in (null: the main room); each has its own group. */
  roomOf?: (id: ParticipantId) => string | null;
}

/** How long a device listed as a member waits for its Welcome before asking again. */
const WELCOME_WAIT_MS = 5_000;

const OFF_STATE: E2eeState = {
  status: 'off',
  epoch: 0,
  enabledBy: null,
  available: true,
  unavailableReason: null,
  policy: 'downgrade',
  members: [],
};

/**
 * Drives this device's part of E2EE: uploads KeyPackages, makes the commits the Delivery Service
 * asks for, processes commits and Welcomes, and acts on "E2EE off" only when it arrives as an
 * authenticated MLS message from the host's device (DESIGN.md §4.3).
 */
export class E2eeManager extends TypedEmitter<E2eeManagerEvents> {
  readonly #deps: E2eeManagerDeps;
  #signal: SignalClient | undefined;
  #meeting: E2eeState = OFF_STATE;
  #local: EngineStatus | null = null;
  #counters: FrameCounters | null = null;
  #chain: Promise<unknown> = Promise.resolve();
  #lastEpoch: number | null = null;
  /** This device is in the MLS group (tracked here, ahead of the worker's status posts). */
  #inGroup = false;
  /**
   * This device lost its seat while in a group (the meeting moved to another node, whose
   * Delivery Service never knew the group): frames stay dropped, never sent in the clear, until
   * the host's device has started a new group and this one joined it.
   */
  #restarting = false;
  /** Welcomes that failed since this device last joined the group. */
  #welcomeFailures = 0;
  #joinFailure: string | null = null;
  readonly #othersFailed = new Map<ParticipantId, JoinFailure>();
  /** The first key each device announced and the first group's policy (DESIGN.md §4.4). */
  readonly #pins: DevicePins;
  /** The host device's checks and countdown before a downgrade (DESIGN.md §4.4). */
  readonly #downgrade: DowngradeGuard;
  /** The server counts this device as a member but no Welcome came: it was withheld or lost. */
  #welcomeTimer: ReturnType<typeof setTimeout> | undefined;
  /** Moved to another room: its group starting is not "turned on" news. */
  #quietStart = false;
  /**
   * This device moved while in a group and the `e2ee.promote` that came with the move is next in
   * the queue: that promotion leaves the old group in its own worker step (issue 18: one step
   * between the move and the room's keys, not two). Cleared by the promotion.
   */
  #leaveOwed = false;
  /** How many times this device changed rooms (a state from before a move is the old room's). */
  #moves = 0;
  /** Breakout rooms' groups prepared while the host plans them (issue 18). */
  readonly prepared: PreparedBreakouts | undefined;
  /** The KeyPackage this device keeps on the server for its next room change (issue 18). */
  readonly #spare = new SpareKeyPackage(() => this.#uploadKeyPackage(true));

  constructor(deps: E2eeManagerDeps) {
    super();
    this.#deps = deps;
    this.#downgrade = new DowngradeGuard({
      delayMs: deps.downgradeDelayMs,
      participants: deps.participants,
      local: () => this.#local,
      turnOff: (p) =>
        void this.#queue(() =>
          this.#sendOff({
            kind: 'e2ee-off',
            reason: 'unsupported-client',
            joiner: { participantId: p.id, displayName: p.displayName, clientLabel: p.clientLabel },
          }),
        ).catch((err: unknown) => this.#fail('Turning end-to-end encryption off failed', err)),
      banner: (tone, text) => this.emit('banner', { tone, text }),
      changed: () => this.#emitView(),
    });
    this.#pins = new DevicePins({
      selfId: deps.selfId,
      participants: deps.participants,
      roomOf: deps.roomOf,
      publish: (devices) => void deps.worker?.setExpectedDevices(devices).catch(() => undefined),
    });
    this.prepared = deps.worker ? this.#planned(deps.worker) : undefined;
    deps.worker?.on('keyFrameNeeded', () => {
      this.#signal
        ?.request({ type: 'media.keyFrameRequest', scope: 'received' })
        .catch(() => undefined);
    });
    deps.worker?.on('status', (status, counters) => {
      const epochChanged = status.epoch !== this.#local?.epoch;
      this.#local = status;
      this.#counters = counters;
      if (status.policy) this.#pins.carryPolicy(status.policy);
      if (
        epochChanged &&
        status.epoch !== null &&
        this.#lastEpoch !== null &&
        status.epoch !== this.#lastEpoch
      ) {
        this.emit('banner', {
          tone: 'info',
          text: 'Participants changed: new encryption keys are in use and the security code changed.',
        });
      }
      if (status.epoch !== null) this.#lastEpoch = status.epoch;
      if (epochChanged) this.#requestKeyFramesSoon();
      this.#emitView();
    });
  }

  #planned(worker: E2eeWorkerClient): PreparedBreakouts {
    return new PreparedBreakouts({
      worker,
      signal: () => this.#signal,
      queue: (fn) => this.#queue(fn),
      room: this.#deps,
      carried: () => this.#pins.carried,
      meetingPolicy: () => this.#meeting.policy,
      refused: (out) => this.#reportRefusals(out),
      replenishSpare: () => (this.#spare.expect(), this.#spare.schedule()),
      ready: (planId) => this.emit('prepared', planId),
      promoted: () => this.#joined(false),
      leaveGroup: async () => {
        await worker.abandonGroup();
        this.#inGroup = false;
      },
      takeOwedLeave: () => {
        const owed = this.#leaveOwed;
        this.#leaveOwed = false;
        return owed;
      },
      banner: (text) => this.emit('banner', { tone: 'warning', text }),
      rejoin: (err) => this.#welcomeFailed(err),
    });
  }

  /** Why the last incoming frame was dropped (diagnostics for support). */
  get lastDecryptError(): string | undefined {
    return this.#deps.worker?.lastDecryptError;
  }

  #keyFrameTimer: ReturnType<typeof setTimeout> | undefined;

  /**
   * After a key change, ask for keyframes once every sender has switched keys (their two-phase
   * switch waits SEND_SWITCH_DELAY_MS), so decoders restart at once instead of at the next
   * periodic keyframe.
   */
  #requestKeyFramesSoon(): void {
    clearTimeout(this.#keyFrameTimer);
    this.#keyFrameTimer = setTimeout(() => {
      // Our own encoder too: a new member has none of our earlier keyframes.
      this.#signal?.request({ type: 'media.keyFrameRequest', scope: 'all' }).catch(() => undefined);
    }, SEND_SWITCH_DELAY_MS + 100);
  }

  get capable(): boolean {
    return this.#deps.worker !== null;
  }

  /**
   * Whether the meeting is end-to-end encrypted (any status but off), without building the
   * whole view (`view` also works out roster warnings): chat asks this on every send.
   */
  get meetingEncrypted(): boolean {
    return this.#meeting.status !== 'off';
  }

  get view(): E2eeView {
    const local = this.#local;
    const meeting = this.#meeting;
    const participants = this.#deps.participants();
    // UI-only, and the dearest part of a view: worked out when first read (the panel renders),
    // not on every key change, e.g. between a breakout move and its room's keys (issue 18).
    let mismatch: string[] | undefined;
    const rosterMismatch = () => (mismatch ??= this.#rosterMismatch(local, meeting, participants));
    return {
      meeting,
      local,
      counters: this.#counters,
      capable: this.capable,
      get rosterMismatch() {
        return rosterMismatch();
      },
      joinFailure: this.#joinFailure,
      downgradeCountdown: this.#downgrade.countdown,
      membersWhoCouldNotJoin: [...this.#othersFailed.values()].filter(
        (f) => !local?.roster.some((m) => m.userId === f.participantId),
      ),
    };
  }

  #emitView(): void {
    this.emit('view', this.view);
  }

  #rosterMismatch(
    local: EngineStatus | null,
    meeting: E2eeState,
    participants: Participant[],
  ): string[] {
    return rosterWarnings(
      local,
      meeting,
      participants,
      this.#pins.pins,
      this.#pins.warnings,
      this.#pins.sameRoom,
    );
  }

  /** Called after every (re)join with the new signaling connection and the server's state. */
  async attach(
    signal: SignalClient,
    state: E2eeState,
    identity: MemberIdentity,
    newSeat = false,
    accountUserId: string | null = null,
  ): Promise<void> {
    this.#signal = signal;
    this.#meeting = state;
    this.#pins.sync();
    this.#emitView();
    if (!this.#deps.worker) return;
    // Until the worker holds this seat's identity, no KeyPackage is made: one asked for by an
    // event that came with the join result would name the old seat (after a failover) and be
    // refused by every committer.
    let identitySet!: () => void;
    this.#identitySet = new Promise<void>((resolve) => (identitySet = resolve));
    try {
      await this.#setIdentity(state, identity, newSeat, accountUserId);
    } finally {
      identitySet();
    }
    // Held or waiting: the server asks for a KeyPackage once the host lets this device in.
    const self = this.#deps.participants().find((p) => p.id === this.#deps.selfId());
    if (!this.#inGroup && !self?.held && !self?.waiting) await this.#uploadKeyPackage();
    // The host's device starts the new group (the others' KeyPackages are added as they come).
    if (this.#restarting && state.status === 'off' && this.#deps.isHost())
      void this.enable().catch((err: unknown) =>
        this.#fail('Restarting end-to-end encryption failed', err),
      );
  }

  /** Settles once the worker holds the identity of this device's current seat. */
  #identitySet: Promise<void> = Promise.resolve();

  async #setIdentity(
    state: E2eeState,
    identity: MemberIdentity,
    newSeat: boolean,
    accountUserId: string | null,
  ): Promise<void> {
    if (!this.#deps.worker) return;
    if (newSeat && this.#inGroup) {
      // Failover (README "Running several nodes"): the old group died with its node. Forget
      // it but keep encrypting, i.e. drop every frame, until a new group is up.
      await this.#deps.worker.abandonGroup();
      this.#inGroup = false;
      this.#restarting = true;
      this.emit('banner', {
        tone: 'warning',
        text: 'The meeting moved to another server. End-to-end encryption restarts with new keys; audio and video resume once it is on again.',
      });
    }
    const expecting =
      this.#inGroup || this.#restarting
        ? undefined
        : this.#deps.worker.expectEncryption(state.status !== 'off');
    await this.#deps.worker.init(identity, accountUserId);
    await expecting;
  }

  /** RFC 9420 §10: a fresh KeyPackage, for this device's current seat. */
  async #makeKeyPackage(worker: E2eeWorkerClient): Promise<Uint8Array> {
    await this.#identitySet;
    return worker.makeKeyPackage();
  }

  /** A `breakout.state` came: it, not the last move, now says who is in this device's room. */
  breakoutsChanged(): void {
    this.#pins.roomsShown();
    this.participantsChanged();
  }

  participantsChanged(): void {
    const present = new Set(this.#deps.participants().map((p) => p.id));
    for (const id of this.#othersFailed.keys()) if (!present.has(id)) this.#othersFailed.delete(id);
    this.#pins.sync();
    this.#emitView();
  }

  /** This device's MLS signature key (base64) to announce at join; undefined without E2EE. */
  async signingKey(): Promise<string | undefined> {
    const worker = this.#deps.worker;
    return worker ? toBase64(await worker.signingKey()) : undefined;
  }

  /** Serialises MLS work: commits and welcomes must be processed in order. */
  #queue<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#chain.then(fn);
    this.#chain = run.catch(() => undefined);
    return run;
  }

  async #uploadKeyPackage(spare = false): Promise<void> {
    const worker = this.#deps.worker;
    if (!worker || !this.#signal) return;
    const kp = await this.#makeKeyPackage(worker);
    await this.#signal.request({
      type: 'e2ee.keyPackage',
      keyPackage: toBase64(kp),
      ...(spare ? { spare } : {}),
    });
  }

  /** Settles once the spare KeyPackage made after the last group join is on the server. */
  get spareUploaded(): Promise<void> {
    return this.#spare.uploaded;
  }

  handleEvent(ev: ServerEvent): void {
    switch (ev.type) {
      case 'e2ee.state': {
        // A state that came before this device's last move is the old room's: the new room's
        // follows the move (a state queued behind MLS work must not overwrite it).
        const moves = this.#moves;
        void this.#queue(async () => {
          if (moves !== this.#moves) return;
          this.#onState(ev.state);
          if (!this.#inGroup && !this.#restarting)
            await this.#deps.worker?.expectEncryption(ev.state.status !== 'off');
        });
        return;
      }
      case 'e2ee.pending':
        void this.#queue(() => this.#commitPending(ev.epoch, ev.add, ev.remove)).catch(
          (err: unknown) => this.#fail('Making a key change failed', err),
        );
        return;
      case 'e2ee.commit':
        void this.#queue(() => this.#processCommit(ev.commit)).catch((err: unknown) =>
          this.#fail('Applying a key change failed', err),
        );
        return;
      case 'e2ee.welcome':
        void this.#queue(() => this.#joinFromWelcome(ev.welcome)).catch((err: unknown) =>
          this.#fail('Joining the encrypted meeting failed', err),
        );
        return;
      case 'e2ee.memberJoinFailed':
        this.#othersFailed.set(ev.participantId, {
          participantId: ev.participantId,
          displayName: ev.displayName,
          reason: ev.reason,
        });
        this.emit('banner', {
          tone: 'warning',
          text: `${ev.displayName} could not join the end-to-end encrypted meeting (${ev.reason}). They cannot see or hear anyone, and nobody can see or hear them.`,
        });
        this.#emitView();
        return;
      case 'e2ee.app':
        void this.#queue(() => this.#onApp(ev.from, ev.message));
        return;
      case 'e2ee.startGroup':
        void this.#queue(() => this.#startGroup(ev.keyPackages, ev.offKeys)).catch((err: unknown) =>
          this.#fail('Starting the encrypted group of this room failed', err),
        );
        return;
      case 'e2ee.plan':
      case 'e2ee.prepareGroup':
      case 'e2ee.preparedWelcome':
      case 'e2ee.promote':
        this.prepared
          ?.handle(ev)
          .catch((err: unknown) => this.#fail('Preparing rooms failed', err));
        return;
      case 'e2ee.keyPackageNeeded':
        void this.#queue(() => this.#uploadKeyPackage()).catch(() => undefined);
        return;
      case 'e2ee.downgradeRequired':
        if (this.#deps.isHost()) this.#downgrade.requested(ev.participantId);
        return;
      case 'e2ee.reenableOffered':
        this.emit('reenableOffered', ev.displayName);
        return;
      default:
        return;
    }
  }

  #onState(state: E2eeState): void {
    const before = this.#meeting;
    this.#meeting = state;
    this.#watchForWelcome(state);
    if (state.status === 'on' && before.status !== 'on' && this.#quietStart) {
      this.#quietStart = false;
    } else if (state.status === 'on' && before.status !== 'on') {
      const who =
        this.#deps.participants().find((p) => p.id === state.enabledBy)?.displayName ?? 'The host';
      this.emit('banner', { tone: 'info', text: `${who} turned on end-to-end encryption.` });
    }
    if (state.status === 'off' && this.#inGroup) {
      // The server says off, but only the host's authenticated message may turn us off.
      this.emit('banner', {
        tone: 'warning',
        text: 'The server reports end-to-end encryption as off, but the host’s device has not confirmed it. Your media stays encrypted.',
      });
    }
    this.#emitView();
  }

  async #commitPending(
    epoch: number,
    add: KeyPackageEntry[],
    remove: ParticipantId[],
  ): Promise<void> {
    const worker = this.#deps.worker;
    if (!worker || !this.#signal) return;
    const out = await worker.commit(
      add.map((a) => fromBase64(a.keyPackage)),
      remove,
      epoch,
    );
    if (!out) return; // asked about an epoch we already left: the next request is current
    this.#reportRefusals(out);
    await tellRefusals(this.#signal, epoch, add, out.refused, out.commit !== undefined);
    if (!out.commit) return;
    try {
      await this.#signal.request({
        type: 'e2ee.commit',
        epoch,
        commit: toBase64(out.commit),
        ...(out.welcome ? { welcome: toBase64(out.welcome) } : {}),
        added: out.added.map((i) => add[i]!.participantId),
        removed: remove,
      });
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'E2EE_EPOCH_STALE') throw err;
      await this.#resync('this device’s key change lost to another');
    }
  }

  /** KeyPackages the committer would not add: a warning on this device, with the reason. */
  #reportRefusals(out: CommitOut): void {
    for (const r of out.refused) this.emit('banner', { tone: 'warning', text: describeRefusal(r) });
  }

  /**
   * Another device's commit won the epoch (RFC 9420 §14: the Delivery Service orders commits)
   * after this device had already moved to its own: its state is not the group's. Leave it and
   * ask to be added again with a fresh KeyPackage, the same path as a failed Welcome.
   */
  async #resync(reason: string): Promise<void> {
    const worker = this.#deps.worker;
    const signal = this.#signal;
    if (!worker || !signal) return;
    await worker.abandonGroup();
    this.#inGroup = false;
    const kp = await this.#makeKeyPackage(worker);
    await signal.request({ type: 'e2ee.joinFailed', reason, keyPackage: toBase64(kp) });
  }

  async #processCommit(commit: string): Promise<void> {
    const worker = this.#deps.worker;
    if (!worker || !this.#inGroup) return;
    const result = await worker.processCommit(fromBase64(commit));
    if (result === 'removed') {
      this.#inGroup = false;
      this.emit('banner', {
        tone: 'warning',
        text: 'This device was removed from the encrypted group.',
      });
    }
  }

  /**
   * A Welcome the server withholds must not leave this device silently outside the group: when
   * the server lists it as a member and no Welcome opens within WELCOME_WAIT_MS, it is treated
   * like a Welcome that failed (ask again, then tell the person and the host).
   */
  #watchForWelcome(state: E2eeState): void {
    const self = this.#deps.selfId();
    const expecting =
      state.status === 'on' && self !== undefined && state.members.includes(self) && !this.#inGroup;
    if (!expecting) {
      clearTimeout(this.#welcomeTimer);
      this.#welcomeTimer = undefined;
      return;
    }
    this.#welcomeTimer ??= setTimeout(() => {
      this.#welcomeTimer = undefined;
      if (this.#inGroup) return;
      void this.#queue(() => this.#welcomeFailed(new Error('no Welcome arrived'))).catch(
        (err: unknown) => this.#fail('Joining the encrypted meeting failed', err),
      );
    }, WELCOME_WAIT_MS);
  }

  async #joinFromWelcome(welcome: string): Promise<void> {
    clearTimeout(this.#welcomeTimer);
    this.#welcomeTimer = undefined;
    const worker = this.#deps.worker;
    if (!worker) return;
    this.#spare.expect();
    try {
      await worker.joinFromWelcome(fromBase64(welcome));
    } catch (err) {
      this.#spare.cancel();
      await this.#welcomeFailed(err);
      return;
    }
    this.#joined(true);
  }

  /** In the group now; `spare`: its KeyPackage was used, so upload another for the next move. */
  #joined(spare: boolean): void {
    clearTimeout(this.#welcomeTimer);
    this.#welcomeTimer = undefined;
    this.#inGroup = true;
    this.#restarting = false;
    this.#welcomeFailures = 0;
    if (spare) this.#spare.schedule();
    if (this.#joinFailure) {
      this.#joinFailure = null;
      this.#emitView();
    }
  }

  /**
   * A Welcome that does not open is never a silent dead end: the first time, ask the committer
   * to replace the leaf it gave us with a fresh KeyPackage (RFC 9420 §10: one KeyPackage per
   * join); the second time, tell the person and the host's device why.
   */
  async #welcomeFailed(err: unknown): Promise<void> {
    const signal = this.#signal;
    const worker = this.#deps.worker;
    if (!signal || !worker) return;
    this.#welcomeFailures += 1;
    const reason = (err instanceof Error ? err.message : 'unknown error').slice(0, 200);
    if (this.#welcomeFailures === 1) {
      const kp = await this.#makeKeyPackage(worker);
      await signal.request({ type: 'e2ee.joinFailed', reason, keyPackage: toBase64(kp) });
      return;
    }
    this.#joinFailure = `This device could not join the end-to-end encrypted meeting (${reason}). You cannot see or hear the others and they cannot see or hear you. The host has been told; leaving and joining again may help.`;
    this.emit('banner', { tone: 'warning', text: this.#joinFailure });
    this.#emitView();
    await signal.request({ type: 'e2ee.joinFailed', reason });
  }

  async #onApp(from: ParticipantId, message: string): Promise<void> {
    const worker = this.#deps.worker;
    if (!worker) return;
    void from; // the relay's word on who sent it counts for nothing
    const opened = await worker.openControl(fromBase64(message)).catch(() => undefined);
    // Authentic = decrypts in our group and its MLS sender is a leaf the signed policy allows
    // (the host device that turned E2EE on), whatever user id any other leaf claims.
    const allowed = this.#local?.policy?.offKeys ?? [];
    if (!opened || !allowed.includes(opened.senderKey)) {
      this.emit('banner', {
        tone: 'warning',
        text: 'Ignored a request to turn off end-to-end encryption that did not come from the device that turned it on.',
      });
      return;
    }
    await worker.turnOff();
    this.#inGroup = false;
    this.#pins.forgetPolicy();
    this.#bannerForOff(opened.message, opened.sender.displayName);
    this.emit('turnedOff', false);
  }

  /** The host keeps E2EE on: the unsupported joiner keeps waiting. */
  keepEncryptionOn(): void {
    this.#downgrade.keepOn();
  }

  /** The host chose to let a held participant in: the downgrade that follows is wanted. */
  expectDowngradeFor(id: ParticipantId): void {
    this.#downgrade.expectFor(id);
  }

  #bannerForOff(m: E2eeOffMessage, hostName: string): void {
    const text =
      m.reason === 'unsupported-client' && m.joiner
        ? `End-to-end encryption is off: ${m.joiner.displayName} joined from ${m.joiner.clientLabel}, which cannot do end-to-end encryption.`
        : `${hostName} turned off end-to-end encryption.`;
    this.emit('banner', { tone: 'warning', text });
  }

  /**
   * A person on this device checked a known person's new device (compared the security code
   * with them) and accepts it: its key is remembered and the warning goes away.
   */
  async trustNewDevice(signatureKey: string): Promise<void> {
    const m = this.#local?.roster.find((r) => r.signatureKey === signatureKey);
    if (!m?.device || !this.#deps.worker) return;
    await this.#deps.worker.trustDevice(m.device.accountUserId, toBase64(m.device.deviceKey));
  }

  /** Chat under E2EE (issue 18): a message sealed in the group (and to `to`'s leaf), base64. */
  async sealChat(text: string, to: ParticipantId | null): Promise<string> {
    const worker = this.#deps.worker;
    if (!worker || !this.#inGroup)
      throw new Error('Chat opens once this device holds the meeting key.');
    return toBase64(await this.#queue(() => worker.sealChat(text, to)));
  }

  /** A whiteboard update sealed for the current epoch (base64). */
  async sealBoard(update: Uint8Array): Promise<string> {
    const worker = this.#deps.worker;
    if (!worker || !this.#inGroup)
      throw new Error('The whiteboard opens once this device holds the meeting key.');
    return toBase64(await worker.sealBoard(update));
  }

  /** undefined: not sealed for an epoch this device holds. */
  async openBoard(sealed: string): Promise<Uint8Array | undefined> {
    const worker = this.#deps.worker;
    if (!worker) return undefined;
    return worker.openBoard(fromBase64(sealed)).catch(() => undefined);
  }

  /** Opens a relayed chat message; undefined when this device may not read it. */
  openChat(message: SealedChatMessage): Promise<ChatMessage | undefined> {
    const worker = this.#deps.worker;
    if (!worker) return Promise.resolve(undefined);
    return this.#queue(async () => {
      const opened = await worker.openChat(fromBase64(message.sealed)).catch(() => undefined);
      return opened && openedChatMessage(message, opened);
    });
  }

  /** TEST ONLY: this device opens frames with a wrong key from now on. */
  async corruptReceiveKeysForTest(): Promise<void> {
    await this.#deps.worker?.corruptReceiveKeys();
  }

  /**
   * Under E2EE each room is its own MLS group (issue 18): this device moved to another room, so
   * it leaves its group's keys (frames stay dropped, never clear) and waits to be added to, or to
   * start, the new room's group. `members`: who the new room holds, as the server said with the
   * move (a breakout room under E2EE); a group prepared for it is checked against them.
   */
  roomChanged(members: readonly ParticipantId[] | null = null): void {
    this.#moves += 1;
    this.prepared?.moved(members);
    // Until the rooms' state follows, the move says who is in this room (a group this device
    // starts meanwhile adds only them; the state must then agree, see PreparedBreakouts).
    this.#pins.moved(members);
    // The old group's members say nothing about the new room's group (its own state follows).
    if (this.#meeting.status !== 'off') this.#meeting = { ...this.#meeting, members: [] };
    void this.#queue(async () => {
      const worker = this.#deps.worker;
      if (!worker || this.#meeting.status === 'off') return;
      clearTimeout(this.#welcomeTimer);
      this.#welcomeTimer = undefined;
      if (this.#inGroup) {
        if (this.prepared?.promoteQueued) this.#leaveOwed = true;
        else await worker.abandonGroup();
      }
      this.#inGroup = false;
      this.#lastEpoch = null;
      this.#quietStart = true;
    });
  }

  /**
   * A new group with this device as its first member, then its first Commit (epoch 0): the
   * host's device turning E2EE on, or the first device in a breakout room (which carries the
   * meeting's signed policy, so only the host device's key can turn E2EE off there too).
   */
  async #startGroup(keyPackages: KeyPackageEntry[], offKeys?: string[]): Promise<void> {
    const worker = this.#deps.worker;
    const signal = this.#signal;
    if (!worker || !signal) return;
    const carried = this.#pins.carried;
    this.#spare.expect();
    // The worker refuses KeyPackages of devices not in this room: as the move or the state says.
    this.#pins.sync();
    this.prepared?.starting();
    const out = await worker
      .createGroup(
        keyPackages.map((k) => fromBase64(k.keyPackage)),
        carried?.unsupportedClients ?? this.#meeting.policy,
        carried ? [...carried.offKeys] : offKeys,
      )
      .catch((err: unknown) => {
        this.#spare.cancel();
        throw err;
      });
    this.#inGroup = true;
    this.#restarting = false;
    this.#reportRefusals(out);
    // The first commit follows whatever was refused: it starts the group.
    await tellRefusals(signal, 0, keyPackages, out.refused, true);
    this.#spare.schedule();
    // The first commit is sent even when every KeyPackage was refused: it starts the group.
    await signal.request({
      type: 'e2ee.commit',
      epoch: 0,
      commit: toBase64(out.commit ?? (await worker.commit([], []))!.commit!),
      ...(out.welcome ? { welcome: toBase64(out.welcome) } : {}),
      added: out.added.map((i) => keyPackages[i]!.participantId),
      removed: [],
    });
  }

  // ---- host actions

  async enable(): Promise<void> {
    const worker = this.#deps.worker;
    if (!worker || !this.#signal) throw new Error('This browser cannot do end-to-end encryption.');
    const signal = this.#signal;
    await this.#queue(async () => {
      const { keyPackages } = await signal.request<{ keyPackages: KeyPackageEntry[] }>({
        type: 'e2ee.enable',
      });
      // The unsupported-client rule is fixed now, in the group itself (signed, server-proof).
      this.#pins.forgetPolicy();
      await this.#startGroup(keyPackages);
    });
  }

  async disable(): Promise<void> {
    await this.#queue(() => this.#sendOff({ kind: 'e2ee-off', reason: 'host' }));
  }

  async #sendOff(message: E2eeOffMessage): Promise<void> {
    const worker = this.#deps.worker;
    if (!worker || !this.#signal || !this.#inGroup) return;
    const sealed = await worker.sealControl(message);
    await this.#signal.request({ type: 'e2ee.disable', message: toBase64(sealed) });
    await worker.turnOff();
    this.#inGroup = false;
    this.#pins.forgetPolicy();
    this.#bannerForOff(message, 'You');
    this.emit('turnedOff', true);
  }

  #fail(what: string, err: unknown): void {
    this.emit('banner', {
      tone: 'warning',
      text: `${what}: ${err instanceof Error ? err.message : 'unknown error'}`,
    });
  }

  // ---- media transforms

  /** Puts this device's E2EE transform on a sender (passthrough while E2EE is off). */
  attachSender(sender: RTCRtpSender, kind: MediaKind): void {
    this.#attach(sender, 'encrypt', kind);
  }

  attachReceiver(receiver: RTCRtpReceiver, kind: MediaKind): void {
    this.#attach(receiver, 'decrypt', kind);
  }

  #attach(target: RTCRtpSender | RTCRtpReceiver, op: 'encrypt' | 'decrypt', kind: MediaKind): void {
    const worker = this.#deps.worker;
    if (worker) attachTransform(worker, this.#deps.capabilities, target, op, kind);
  }

  close(): void {
    clearTimeout(this.#keyFrameTimer);
    clearTimeout(this.#welcomeTimer);
    this.#downgrade.clear();
    this.#spare.close();
    this.#deps.worker?.terminate();
    this.removeAllListeners();
  }
}
