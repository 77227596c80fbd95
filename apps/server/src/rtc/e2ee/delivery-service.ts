import { ConclaveError } from '@conclave/protocol';
import type {
  E2eeState,
  KeyPackageEntry,
  KeyPackageRefusal,
  ParticipantId,
  ServerEvent,
} from '@conclave/protocol';
import type { Logger } from '../../logger';
import type { MeetingSettings } from '../../modules/meetings/meeting-store';
import type { RoomParticipant } from '../participant';
import { e2eeAvailability } from './e2ee-policy';

/**
 * KeyPackages in one Commit at most: a Commit with its Welcome must fit one signaling message
 * (MAX_MESSAGE_BYTES); 100 adds into a 1,000-member group take about 600 KB of base64.
 */
export const MAX_ADDS_PER_COMMIT = 100;

/** What the Delivery Service needs from its room. */
export interface DeliveryServicePort {
  participants(): Iterable<RoomParticipant>;
  get(id: ParticipantId): RoomParticipant | undefined;
  send(id: ParticipantId, event: ServerEvent): void;
  broadcast(event: ServerEvent): void;
  /** E2EE went off: participants held out of the encrypted meeting may now have media. */
  releaseHeld(): Promise<void>;
}

export interface DeliveryServiceOptions {
  logger: Logger;
  /** Joins arriving within this window go into one Commit. */
  batchWindowMs?: number;
  /** A committer that does not answer in this time is asked again (or replaced). */
  commitTimeoutMs?: number;
}

export interface CommitRequest {
  epoch: number;
  commit: string;
  welcome?: string | undefined;
  added: ParticipantId[];
  removed: ParticipantId[];
}

/** The committer's device would not add these KeyPackages of the request for `epoch`. */
export interface RefusalReport {
  epoch: number;
  refused: { participantId: ParticipantId; reason: KeyPackageRefusal }[];
  /** A Commit for this epoch follows (adding the others); false: the committer sends none. */
  commitFollows: boolean;
}

/** Refused KeyPackages per device before it is given up on (the host's devices are told). */
const MAX_REFUSALS = 2;

/**
 * The MLS Delivery Service of one meeting (DESIGN.md §4.2). It relays KeyPackages, Commits and
 * Welcomes, accepts the first valid Commit per epoch and rejects later ones with the current
 * epoch, and asks a committer device to add joiners (batched) and remove leavers. Everything it
 * holds is public MLS data: it never has a private key or an exporter secret.
 */
export class DeliveryService {
  readonly #port: DeliveryServicePort;
  readonly #log: Logger;
  readonly #batchWindowMs: number;
  readonly #commitTimeoutMs: number;
  #settings: MeetingSettings;
  #status: E2eeState['status'] = 'off';
  #epoch = 0;
  #enabledBy: ParticipantId | null = null;
  #committer: ParticipantId | null = null;
  /** Group members in the order they joined the group (the first is the fallback committer). */
  readonly #members = new Set<ParticipantId>();
  readonly #keyPackages = new Map<ParticipantId, string>();
  readonly #pendingAdd = new Set<ParticipantId>();
  readonly #pendingRemove = new Set<ParticipantId>();
  /** How many of each device's KeyPackages a committer refused since it was last added. */
  readonly #refusals = new Map<ParticipantId, number>();
  /** The request a committer is answering: the KeyPackages it was sent, by device. */
  #inFlight:
    { epoch: number; add: Map<ParticipantId, string>; remove: ParticipantId[] } | undefined;
  #batchTimer: NodeJS.Timeout | undefined;
  #commitTimer: NodeJS.Timeout | undefined;
  /** Who made us go off (policy downgrade), so the host can be offered to turn it back on. */
  #downgradedFor: ParticipantId | undefined;
  /**
   * A group that outlives its members (a breakout room's, or the main room's while everyone is
   * in breakout rooms, issue 18): when the last member leaves it stays on with no members, and
   * the next device that arrives starts a new group (RFC 9420 §11) for the others to join.
   */
  restartable = false;
  /** The signature key the enabling host device announced (the policy's "E2EE off" key). */
  offKey: string | null = null;

  constructor(port: DeliveryServicePort, settings: MeetingSettings, opts: DeliveryServiceOptions) {
    this.#port = port;
    this.#settings = settings;
    this.#log = opts.logger.child({ component: 'e2ee-ds' });
    this.#batchWindowMs = opts.batchWindowMs ?? 50;
    this.#commitTimeoutMs = opts.commitTimeoutMs ?? 10_000;
  }

  get active(): boolean {
    return this.#status !== 'off';
  }

  get settings(): MeetingSettings {
    return this.#settings;
  }

  /** Plan or admin changes apply at once (the next join picks up the stored settings). */
  updateSettings(settings: MeetingSettings): void {
    const before = JSON.stringify(this.view());
    this.#settings = settings;
    if (JSON.stringify(this.view()) !== before) this.#broadcastState();
  }

  view(): E2eeState {
    const availability = e2eeAvailability(this.#settings);
    return {
      status: this.#status,
      epoch: this.#epoch,
      enabledBy: this.#enabledBy,
      available: availability.available,
      unavailableReason: availability.reason,
      policy: this.#settings.unsupportedClientPolicy,
      members: [...this.#members],
    };
  }

  // ---- host actions

  enable(host: RoomParticipant): { keyPackages: KeyPackageEntry[] } {
    if (host.role !== 'host') throw new ConclaveError('NOT_HOST');
    const availability = e2eeAvailability(this.#settings);
    if (!availability.available)
      throw new ConclaveError('E2EE_NOT_AVAILABLE', availability.reason ?? undefined);
    if (this.#status !== 'off') throw new ConclaveError('E2EE_BAD_STATE');
    if (!host.e2eeCapable) throw new ConclaveError('E2EE_CLIENT_UNSUPPORTED');
    // People in the waiting room are not in the meeting yet: they meet the policy when let in.
    const unsupported = [...this.#port.participants()].filter((p) => !p.e2eeCapable && !p.waiting);
    if (unsupported.length > 0) {
      const names = unsupported.map((p) => `${p.displayName} (${p.clientLabel})`).join(', ');
      throw new ConclaveError(
        'E2EE_UNSUPPORTED_PARTICIPANTS',
        `These participants use a client that cannot do end-to-end encryption: ${names}.`,
      );
    }
    this.#status = 'starting';
    this.#epoch = 0;
    this.#enabledBy = host.id;
    this.offKey = host.mlsSignatureKey;
    this.#committer = host.id;
    this.#members.clear();
    this.#members.add(host.id);
    this.#pendingRemove.clear();
    this.#downgradedFor = undefined;
    const keyPackages: KeyPackageEntry[] = [];
    for (const p of this.#port.participants()) {
      if (p.id === host.id || p.waiting) continue;
      const kp = this.#keyPackages.get(p.id);
      if (kp && keyPackages.length < MAX_ADDS_PER_COMMIT)
        keyPackages.push({ participantId: p.id, keyPackage: kp });
      else if (kp) this.#pendingAdd.add(p.id);
      else {
        this.#pendingAdd.add(p.id);
        this.#port.send(p.id, { type: 'e2ee.keyPackageNeeded' });
      }
    }
    this.#inFlight = { epoch: 0, add: sentKeyPackages(keyPackages), remove: [] };
    this.#armCommitTimer();
    this.#broadcastState();
    return { keyPackages };
  }

  /**
   * The host's device turns E2EE off with an authenticated MLS application message; the server
   * relays it and only then admits held participants (DESIGN.md §4.3).
   */
  async disable(host: RoomParticipant, message: string): Promise<void> {
    if (host.role !== 'host') throw new ConclaveError('NOT_HOST');
    if (this.#status === 'off') throw new ConclaveError('E2EE_NOT_ON');
    if (!this.#members.has(host.id))
      throw new ConclaveError('E2EE_BAD_STATE', 'Your device is not in the encrypted group yet.');
    for (const id of this.#members) {
      if (id !== host.id) this.#port.send(id, { type: 'e2ee.app', from: host.id, message });
    }
    this.#reset();
    this.#broadcastState();
    await this.#port.releaseHeld();
  }

  /** A held participant (policy `hold`): the host's device must send "e2ee-off" first. */
  requestDowngradeFor(host: RoomParticipant, target: RoomParticipant): void {
    if (host.role !== 'host') throw new ConclaveError('NOT_HOST');
    if (!target.held)
      throw new ConclaveError('PARTICIPANT_NOT_FOUND', 'That participant is not waiting.');
    this.#downgradedFor = target.id;
    this.#port.send(host.id, {
      type: 'e2ee.downgradeRequired',
      participantId: target.id,
      displayName: target.displayName,
      clientLabel: target.clientLabel,
    });
  }

  // ---- group traffic

  keyPackage(p: RoomParticipant, keyPackage: string): void {
    if (!p.e2eeCapable) throw new ConclaveError('E2EE_CLIENT_UNSUPPORTED');
    // Nobody held or in the waiting room gets anything E2EE before the host lets them in: their
    // device uploads a KeyPackage when asked (keyPackageNeeded) after admission.
    if (p.waiting || p.held) throw new ConclaveError('NOT_LET_IN');
    // Someone joins the meeting while its main group is empty (everyone in breakout rooms).
    if (this.restartable && this.#status === 'on' && this.#members.size === 0) {
      this.arrive(p, this.#enabledBy);
      return;
    }
    this.#keyPackages.set(p.id, keyPackage);
    if (this.active && !this.#members.has(p.id)) {
      this.#pendingAdd.add(p.id);
      this.#scheduleBatch();
    }
  }

  /** `p` was let in from the waiting room: add them to the group if they sent a KeyPackage. */
  admitted(p: RoomParticipant): void {
    if (!this.active || this.#members.has(p.id)) return;
    this.#pendingAdd.add(p.id);
    if (this.#keyPackages.has(p.id)) this.#scheduleBatch();
    else this.#port.send(p.id, { type: 'e2ee.keyPackageNeeded' });
  }

  /**
   * `p` could not join from the Welcome it was sent. With a fresh KeyPackage: the next commit
   * removes the leaf that Welcome gave it and adds the new KeyPackage. Without (it gave up):
   * its leaf is removed and the host's devices are told who could not join and why.
   */
  joinFailed(p: RoomParticipant, reason: string, keyPackage: string | undefined): void {
    if (p.waiting || p.held) throw new ConclaveError('NOT_LET_IN');
    if (this.#status === 'off') throw new ConclaveError('E2EE_NOT_ON');
    if (!this.#members.has(p.id))
      throw new ConclaveError('E2EE_BAD_STATE', 'You were not added to the encrypted group.');
    this.#log.warn({ participant: p.id, retry: Boolean(keyPackage), reason }, 'welcome failed');
    this.#pendingRemove.add(p.id);
    if (keyPackage) {
      this.#keyPackages.set(p.id, keyPackage);
      this.#pendingAdd.add(p.id);
    } else {
      for (const host of this.#port.participants()) {
        if (host.role !== 'host' || host.id === p.id) continue;
        this.#port.send(host.id, {
          type: 'e2ee.memberJoinFailed',
          participantId: p.id,
          displayName: p.displayName,
          reason,
        });
      }
    }
    this.#scheduleBatch();
  }

  /**
   * The committer refused KeyPackages it was asked to add (they do not match what signaling
   * announced, e.g. one made for a seat the device no longer has). Each is dropped at once (a
   * KeyPackage is used once, RFC 9420 §10) and its device is asked for a fresh one; after
   * MAX_REFUSALS it is given up on and the host's devices are told. Without a Commit to follow,
   * the next request goes out now instead of after the commit timeout.
   */
  refused(from: RoomParticipant, report: RefusalReport): void {
    if (this.#status === 'off') throw new ConclaveError('E2EE_NOT_ON');
    const inFlight = this.#inFlight;
    if (from.id !== this.#committer || !inFlight)
      throw new ConclaveError('E2EE_BAD_STATE', 'This device was not asked to make a commit.');
    if (report.epoch !== inFlight.epoch)
      throw new ConclaveError(
        'E2EE_EPOCH_STALE',
        `That answer is for epoch ${report.epoch}; the request is for epoch ${inFlight.epoch}.`,
      );
    for (const { participantId: id, reason } of report.refused) {
      // Only KeyPackages this request asked about: nobody else's join can be cancelled this way.
      const sent = inFlight.add.get(id);
      if (sent === undefined) continue;
      inFlight.add.delete(id);
      // A fresh one that came meanwhile stays, and is asked about next.
      const fresh = this.#keyPackages.get(id) !== sent && this.#keyPackages.has(id);
      if (!fresh) this.#keyPackages.delete(id);
      const times = (this.#refusals.get(id) ?? 0) + 1;
      this.#refusals.set(id, times);
      this.#log.warn({ participant: id, reason, times }, 'KeyPackage refused by the committer');
      const p = this.#port.get(id);
      if (p && times < MAX_REFUSALS) {
        this.#pendingAdd.add(id);
        if (!fresh) this.#port.send(id, { type: 'e2ee.keyPackageNeeded' });
        continue;
      }
      this.#pendingAdd.delete(id);
      if (!p) continue;
      for (const host of this.#port.participants()) {
        if (host.role !== 'host' || host.id === id || host.id === from.id) continue;
        this.#port.send(host.id, {
          type: 'e2ee.memberJoinFailed',
          participantId: id,
          displayName: p.displayName,
          reason: `the committing device refused its KeyPackage (${reason})`,
        });
      }
    }
    if (report.commitFollows) return;
    this.#inFlight = undefined;
    clearTimeout(this.#commitTimer);
    this.#scheduleBatch();
  }

  commit(from: RoomParticipant, req: CommitRequest): { epoch: number } {
    if (this.#status === 'off') throw new ConclaveError('E2EE_NOT_ON');
    if (!this.#members.has(from.id))
      throw new ConclaveError('E2EE_BAD_STATE', 'Only group members can commit.');
    if (req.epoch !== this.#epoch) {
      // RFC 9420 §14: the DS orders handshake messages; the first Commit for an epoch wins.
      throw new ConclaveError(
        'E2EE_EPOCH_STALE',
        `That commit is for epoch ${req.epoch}; the group is at epoch ${this.#epoch}.`,
      );
    }
    if (req.added.length > 0 && !req.welcome)
      throw new ConclaveError('BAD_REQUEST', 'A commit that adds members needs a Welcome.');
    // Not to members waiting to be removed: they left this group's scope (moved to another
    // room, left, or asked to be added afresh) and their devices no longer hold this group, or
    // hold another one (a breakout room's) that this Commit would be applied to.
    const recipients = [...this.#members].filter(
      (id) => id !== from.id && !this.#pendingRemove.has(id),
    );
    this.#epoch += 1;
    for (const id of req.removed) {
      this.#members.delete(id);
      this.#pendingRemove.delete(id);
    }
    for (const id of recipients) {
      if (this.#members.has(id))
        this.#port.send(id, {
          type: 'e2ee.commit',
          epoch: req.epoch,
          commit: req.commit,
          from: from.id,
        });
    }
    for (const id of req.added) {
      this.#pendingAdd.delete(id);
      this.#refusals.delete(id);
      this.#keyPackages.delete(id); // a KeyPackage is used once (RFC 9420 §10)
      if (!this.#port.get(id)) {
        // Left while being added: remove them in the next batch.
        this.#members.add(id);
        this.#pendingRemove.add(id);
        continue;
      }
      this.#members.add(id);
      this.#port.send(id, { type: 'e2ee.welcome', epoch: this.#epoch, welcome: req.welcome! });
    }
    if (this.#status === 'starting') this.#status = 'on';
    this.#inFlight = undefined;
    clearTimeout(this.#commitTimer);
    this.#log.info(
      { epoch: this.#epoch, added: req.added.length, removed: req.removed.length },
      'commit accepted',
    );
    this.#broadcastState();
    this.#scheduleBatch();
    return { epoch: this.#epoch };
  }

  // ---- membership

  /** A participant left the meeting (or timed out). */
  participantLeft(p: RoomParticipant): void {
    this.#keyPackages.delete(p.id);
    this.#refusals.delete(p.id);
    this.#pendingAdd.delete(p.id);
    if (this.#downgradedFor === p.id) {
      const host = [...this.#port.participants()].find((x) => x.role === 'host' && x.id !== p.id);
      if (host && this.#status === 'off')
        this.#port.send(host.id, { type: 'e2ee.reenableOffered', displayName: p.displayName });
      this.#downgradedFor = undefined;
    }
    if (!this.#members.has(p.id)) return;
    const remaining = [...this.#members].filter((id) => id !== p.id && this.#port.get(id));
    if (remaining.length === 0) {
      if (this.restartable) this.#empty();
      else this.#reset();
      this.#broadcastState();
      return;
    }
    this.#pendingRemove.add(p.id);
    if (this.#committer === p.id) {
      this.#committer = this.#pickCommitter(remaining);
      // The committer went with the request: ask the new one from scratch. Otherwise the
      // request stays in flight and the leaver goes into the next batch: a second request for
      // the same epoch would have the committer make two competing commits.
      this.#inFlight = undefined;
      clearTimeout(this.#commitTimer);
    }
    this.#scheduleBatch();
  }

  /**
   * `p` moved into this group's scope (a breakout room, or back to the main room) while E2EE is
   * on. Into an empty group: its device starts a new one (`e2ee.startGroup`). Otherwise it is
   * added like a joiner, with a fresh KeyPackage (one per join, RFC 9420 §10).
   */
  arrive(p: RoomParticipant, enabledBy: ParticipantId | null, offKey = this.offKey): void {
    this.arriveAll([{ p }], enabledBy, offKey);
  }

  /**
   * Several arrive at once (breakout rooms opening or closing), some with a spare KeyPackage.
   * Into an empty group: the first one's device starts it and adds every spare in the same
   * first Commit. Into a group with members: the spares are asked for in one Commit at once,
   * without waiting for the batch window (everyone who comes is here).
   */
  arriveAll(
    arrivals: { p: RoomParticipant; keyPackage?: string | undefined }[],
    enabledBy: ParticipantId | null,
    offKey = this.offKey,
  ): void {
    this.offKey = offKey;
    const here = arrivals.filter((a) => this.#port.get(a.p.id));
    const first = here[0]?.p;
    if (!first) return;
    for (const a of here) this.#keyPackages.delete(a.p.id);
    const later = (a: (typeof here)[number]) => {
      this.#pendingAdd.add(a.p.id);
      if (a.keyPackage) this.#keyPackages.set(a.p.id, a.keyPackage);
      else this.#port.send(a.p.id, { type: 'e2ee.keyPackageNeeded' });
    };
    if (this.#members.size === 0 || (this.#members.size === 1 && this.#members.has(first.id))) {
      this.#reset();
      this.#status = 'starting';
      this.#epoch = 0;
      this.#enabledBy = enabledBy;
      this.#committer = first.id;
      this.#members.add(first.id);
      const keyPackages: KeyPackageEntry[] = [];
      for (const a of here.slice(1)) {
        if (a.keyPackage && keyPackages.length < MAX_ADDS_PER_COMMIT)
          keyPackages.push({ participantId: a.p.id, keyPackage: a.keyPackage });
        else later(a);
      }
      this.#inFlight = { epoch: 0, add: sentKeyPackages(keyPackages), remove: [] };
      this.#armCommitTimer();
      this.#broadcastState();
      this.#port.send(first.id, {
        type: 'e2ee.startGroup',
        keyPackages,
        ...(offKey ? { offKeys: [offKey] } : {}),
      });
      return;
    }
    for (const a of here) {
      // Back before its old leaf was removed: the same commit removes it and adds the new one.
      if (this.#members.has(a.p.id)) this.#pendingRemove.add(a.p.id);
      this.#port.send(a.p.id, { type: 'e2ee.state', state: this.view() });
      later(a);
    }
    if (here.every((a) => a.keyPackage) && !this.#inFlight) {
      clearTimeout(this.#batchTimer);
      this.#batchTimer = undefined;
      this.#sendPending();
    } else this.#scheduleBatch();
  }

  /**
   * The people the rooms' opening puts in this (empty) breakout group hold the pending group
   * prepared for them (breakout-plans.ts): it is this group from now on, at epoch 1 (its first
   * Commit was made when it was prepared), with its starter as committer. Each member is told to
   * promote it at its own move (`promote(id)`), after checking its roster against the room
   * itself; `announce()` tells the room once everyone has moved.
   */
  adoptPrepared(
    starter: ParticipantId,
    members: readonly ParticipantId[],
    enabledBy: ParticipantId | null,
    offKey: string | null,
    promote: ServerEvent,
  ): void {
    this.offKey = offKey;
    this.#reset();
    this.#status = 'on';
    this.#epoch = 1;
    this.#enabledBy = enabledBy;
    this.#committer = starter;
    this.#members.add(starter);
    for (const id of members) this.#members.add(id);
    this.#promote = promote;
  }

  /** The `e2ee.promote` that `promote()` sends (after `adoptPrepared`). */
  #promote: ServerEvent | undefined;

  /** Tells this group's room its state (after `adoptPrepared`, once everyone has moved). */
  announce(): void {
    this.#broadcastState();
  }

  /** Tells `id`, a member of the adopted group that just moved in, to promote its pending group. */
  promote(id: ParticipantId): void {
    if (this.#promote && this.#members.has(id)) this.#port.send(id, this.#promote);
  }

  /** A member the adopted group was prepared with never arrived (its move failed): removed. */
  notArrived(id: ParticipantId): void {
    if (!this.#members.has(id)) return;
    this.#pendingRemove.add(id);
    this.#scheduleBatch();
  }

  /** On with no members: the next arrival starts a new group. */
  #empty(): void {
    const enabledBy = this.#enabledBy;
    this.#reset();
    this.#status = 'on';
    this.#enabledBy = enabledBy;
  }

  /** The unsupported joiner under policy `downgrade`: ask the host's device to turn E2EE off. */
  unsupportedJoined(p: RoomParticipant): void {
    const host = [...this.#port.participants()].find(
      (x) => x.role === 'host' && this.#members.has(x.id),
    );
    this.#downgradedFor = p.id;
    if (host) {
      this.#port.send(host.id, {
        type: 'e2ee.downgradeRequired',
        participantId: p.id,
        displayName: p.displayName,
        clientLabel: p.clientLabel,
      });
    } else {
      this.#log.warn('unsupported client joined but no host device is in the group; it stays held');
    }
  }

  #pickCommitter(candidates: ParticipantId[]): ParticipantId | null {
    const host = candidates.find((id) => this.#port.get(id)?.role === 'host');
    return host ?? candidates[0] ?? null;
  }

  #scheduleBatch(): void {
    if (this.#status === 'off' || this.#batchTimer) return;
    this.#batchTimer = setTimeout(() => {
      this.#batchTimer = undefined;
      this.#sendPending();
    }, this.#batchWindowMs);
    this.#batchTimer.unref();
  }

  #sendPending(): void {
    if (this.#status === 'off' || this.#inFlight) return;
    const add: KeyPackageEntry[] = [];
    for (const id of this.#pendingAdd) {
      if (add.length >= MAX_ADDS_PER_COMMIT) break;
      const kp = this.#keyPackages.get(id);
      if (kp && this.#port.get(id)) add.push({ participantId: id, keyPackage: kp });
    }
    const remove = [...this.#pendingRemove];
    if (add.length === 0 && remove.length === 0) return;
    if (
      !this.#committer ||
      this.#pendingRemove.has(this.#committer) ||
      !this.#port.get(this.#committer)?.connected
    ) {
      const live = [...this.#members].filter(
        (id) => !this.#pendingRemove.has(id) && this.#port.get(id)?.connected,
      );
      this.#committer = this.#pickCommitter(live);
    }
    if (!this.#committer) return;
    this.#inFlight = { epoch: this.#epoch, add: sentKeyPackages(add), remove };
    this.#port.send(this.#committer, { type: 'e2ee.pending', epoch: this.#epoch, add, remove });
    this.#armCommitTimer();
  }

  #armCommitTimer(): void {
    clearTimeout(this.#commitTimer);
    this.#commitTimer = setTimeout(() => {
      if (this.#status === 'starting') {
        this.#log.warn('no first commit from the creating device; the group is not started');
        if (this.restartable) this.#empty();
        else this.#reset();
        this.#broadcastState();
        return;
      }
      this.#log.warn({ committer: this.#committer }, 'committer did not answer; asking again');
      this.#inFlight = undefined;
      const others = [...this.#members].filter(
        (id) => id !== this.#committer && this.#port.get(id)?.connected,
      );
      if (others.length > 0) this.#committer = this.#pickCommitter(others);
      this.#sendPending();
    }, this.#commitTimeoutMs);
    this.#commitTimer.unref();
  }

  #reset(): void {
    this.#promote = undefined;
    this.#status = 'off';
    this.#epoch = 0;
    this.#enabledBy = null;
    this.#committer = null;
    this.#members.clear();
    this.#pendingAdd.clear();
    this.#pendingRemove.clear();
    this.#refusals.clear();
    this.#inFlight = undefined;
    clearTimeout(this.#commitTimer);
    clearTimeout(this.#batchTimer);
    this.#batchTimer = undefined;
  }

  #broadcastState(): void {
    this.#port.broadcast({ type: 'e2ee.state', state: this.view() });
  }

  close(): void {
    this.#reset();
  }
}

function sentKeyPackages(entries: KeyPackageEntry[]): Map<ParticipantId, string> {
  return new Map(entries.map((e) => [e.participantId, e.keyPackage]));
}
