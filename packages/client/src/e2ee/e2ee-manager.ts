import type {
  Capabilities,
  E2eeState,
  KeyPackageEntry,
  Participant,
  ParticipantId,
  ServerEvent,
} from '@conclave/protocol';
import type { MemberIdentity } from '@conclave/e2ee';
import type { SignalClient } from '../signal/signal-client';
import { TypedEmitter } from '../typed-emitter';
import { fromBase64, toBase64 } from './base64';
import type { E2eeOffMessage } from './control-message';
import type { EngineStatus, FrameCounters } from './engine';
import type { MediaKind } from './frame-layout';
import { SEND_SWITCH_DELAY_MS } from './timing';
import type { E2eeWorkerClient } from './worker-client';

/** Everything the UI shows about end-to-end encryption, always the true state. */
export interface E2eeView {
  /** What the Delivery Service says (availability, policy, status). */
  meeting: E2eeState;
  /** What this device knows for itself: its group, epoch, code and roster. */
  local: EngineStatus | null;
  counters: FrameCounters | null;
  capable: boolean;
  /** Devices in the MLS roster that signaling did not announce, or the other way round. */
  rosterMismatch: string[];
  /** This device could not join the encrypted group, even after asking to be added again. */
  joinFailure: string | null;
  /** The host's device: participants who could not join the encrypted group, and why. */
  membersWhoCouldNotJoin: JoinFailure[];
}

export interface JoinFailure {
  participantId: ParticipantId;
  displayName: string;
  reason: string;
}

export type E2eeManagerEvents = {
  view: [E2eeView];
  /** A sentence for a banner: on, off, downgrade, member change, ignored forgeries. */
  banner: [{ tone: 'info' | 'warning'; text: string }];
  /** The host's device: E2EE can be turned back on (the unsupported participant left). */
  reenableOffered: [string];
};

export interface E2eeManagerDeps {
  capabilities: Capabilities;
  worker: E2eeWorkerClient | null;
  selfId: () => ParticipantId | undefined;
  participants: () => Participant[];
  isHost: () => boolean;
}

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
  /** Welcomes that failed since this device last joined the group. */
  #welcomeFailures = 0;
  #joinFailure: string | null = null;
  readonly #othersFailed = new Map<ParticipantId, JoinFailure>();

  constructor(deps: E2eeManagerDeps) {
    super();
    this.#deps = deps;
    deps.worker?.on('keyFrameNeeded', () => {
      this.#signal
        ?.request({ type: 'media.keyFrameRequest', scope: 'received' })
        .catch(() => undefined);
    });
    deps.worker?.on('status', (status, counters) => {
      const epochChanged = status.epoch !== this.#local?.epoch;
      this.#local = status;
      this.#counters = counters;
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

  get view(): E2eeView {
    return {
      meeting: this.#meeting,
      local: this.#local,
      counters: this.#counters,
      capable: this.capable,
      rosterMismatch: this.#rosterMismatch(),
      joinFailure: this.#joinFailure,
      membersWhoCouldNotJoin: [...this.#othersFailed.values()].filter(
        (f) => !this.#local?.roster.some((m) => m.userId === f.participantId),
      ),
    };
  }

  #emitView(): void {
    this.emit('view', this.view);
  }

  /** Compares the MLS roster (who holds the key) with the meeting's participant list. */
  #rosterMismatch(): string[] {
    if (!this.#local?.inGroup) return [];
    const roster = this.#local.roster;
    const participants = this.#deps.participants();
    const out: string[] = [];
    for (const m of roster) {
      if (!participants.some((p) => p.id === m.userId))
        out.push(`${m.displayName} holds the key but is not in the participant list.`);
    }
    for (const p of participants) {
      if (
        !p.held &&
        this.#meeting.members.includes(p.id) &&
        !roster.some((m) => m.userId === p.id)
      ) {
        out.push(`${p.displayName} is in the meeting but does not hold the key yet.`);
      }
    }
    return out;
  }

  /** Called after every (re)join with the new signaling connection and the server's state. */
  async attach(signal: SignalClient, state: E2eeState, identity: MemberIdentity): Promise<void> {
    this.#signal = signal;
    this.#meeting = state;
    this.#emitView();
    if (!this.#deps.worker) return;
    const expecting = this.#inGroup
      ? undefined
      : this.#deps.worker.expectEncryption(state.status !== 'off');
    await this.#deps.worker.init(identity);
    await expecting;
    if (!this.#inGroup) await this.#uploadKeyPackage();
  }

  participantsChanged(): void {
    const present = new Set(this.#deps.participants().map((p) => p.id));
    for (const id of this.#othersFailed.keys()) if (!present.has(id)) this.#othersFailed.delete(id);
    this.#emitView();
  }

  /** Serialises MLS work: commits and welcomes must be processed in order. */
  #queue<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#chain.then(fn);
    this.#chain = run.catch(() => undefined);
    return run;
  }

  async #uploadKeyPackage(): Promise<void> {
    const worker = this.#deps.worker;
    if (!worker || !this.#signal) return;
    const kp = await worker.makeKeyPackage();
    await this.#signal.request({ type: 'e2ee.keyPackage', keyPackage: toBase64(kp) });
  }

  handleEvent(ev: ServerEvent): void {
    switch (ev.type) {
      case 'e2ee.state':
        void this.#queue(async () => {
          this.#onState(ev.state);
          if (!this.#inGroup) await this.#deps.worker?.expectEncryption(ev.state.status !== 'off');
        });
        return;
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
      case 'e2ee.keyPackageNeeded':
        void this.#queue(() => this.#uploadKeyPackage()).catch(() => undefined);
        return;
      case 'e2ee.downgradeRequired':
        if (this.#deps.isHost()) {
          void this.#queue(() =>
            this.#sendOff({
              kind: 'e2ee-off',
              reason: 'unsupported-client',
              joiner: {
                participantId: ev.participantId,
                displayName: ev.displayName,
                clientLabel: ev.clientLabel,
              },
            }),
          ).catch((err: unknown) => this.#fail('Turning end-to-end encryption off failed', err));
        }
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
    if (state.status === 'on' && before.status !== 'on') {
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
    try {
      await this.#signal.request({
        type: 'e2ee.commit',
        epoch,
        commit: toBase64(out.commit),
        ...(out.welcome ? { welcome: toBase64(out.welcome) } : {}),
        added: add.map((a) => a.participantId),
        removed: remove,
      });
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'E2EE_EPOCH_STALE') throw err;
      await this.#resync('this device’s key change lost to another');
    }
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
    const kp = await worker.makeKeyPackage();
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

  async #joinFromWelcome(welcome: string): Promise<void> {
    const worker = this.#deps.worker;
    if (!worker) return;
    try {
      await worker.joinFromWelcome(fromBase64(welcome));
    } catch (err) {
      await this.#welcomeFailed(err);
      return;
    }
    this.#inGroup = true;
    this.#welcomeFailures = 0;
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
      const kp = await worker.makeKeyPackage();
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
    const opened = await worker.openControl(fromBase64(message)).catch(() => undefined);
    const sender = this.#deps.participants().find((p) => p.id === from);
    // Authentic = decrypts in our group, its MLS sender is the host's device, and the relay agrees.
    if (!opened || opened.sender.userId !== from || sender?.role !== 'host') {
      this.emit('banner', {
        tone: 'warning',
        text: 'Ignored a request to turn off end-to-end encryption that did not come from the host’s device.',
      });
      return;
    }
    await worker.turnOff();
    this.#inGroup = false;
    this.#bannerForOff(opened.message, sender.displayName);
  }

  #bannerForOff(m: E2eeOffMessage, hostName: string): void {
    const text =
      m.reason === 'unsupported-client' && m.joiner
        ? `End-to-end encryption is off: ${m.joiner.displayName} joined from ${m.joiner.clientLabel}, which cannot do end-to-end encryption.`
        : `${hostName} turned off end-to-end encryption.`;
    this.emit('banner', { tone: 'warning', text });
  }

  /** TEST ONLY: this device opens frames with a wrong key from now on. */
  async corruptReceiveKeysForTest(): Promise<void> {
    await this.#deps.worker?.corruptReceiveKeys();
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
      const out = await worker.createGroup(keyPackages.map((k) => fromBase64(k.keyPackage)));
      this.#inGroup = true;
      await signal.request({
        type: 'e2ee.commit',
        epoch: 0,
        commit: toBase64(out.commit),
        ...(out.welcome ? { welcome: toBase64(out.welcome) } : {}),
        added: keyPackages.map((k) => k.participantId),
        removed: [],
      });
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
    this.#bannerForOff(message, 'You');
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
    if (!worker) return;
    const g = globalThis as unknown as {
      RTCRtpScriptTransform?: new (w: Worker, o: unknown) => unknown;
    };
    if (
      this.#deps.capabilities.encodedTransform === 'script-transform' &&
      g.RTCRtpScriptTransform
    ) {
      (target as unknown as { transform: unknown }).transform = new g.RTCRtpScriptTransform(
        worker.worker,
        { op, kind },
      );
      return;
    }
    const withStreams = target as unknown as {
      createEncodedStreams?: () => { readable: ReadableStream; writable: WritableStream };
    };
    if (withStreams.createEncodedStreams)
      worker.attachStreams(op, kind, withStreams.createEncodedStreams());
  }

  close(): void {
    clearTimeout(this.#keyFrameTimer);
    this.#deps.worker?.terminate();
    this.removeAllListeners();
  }
}
