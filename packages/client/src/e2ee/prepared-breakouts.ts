import type { MeetingPolicy } from '@conclave/e2ee';
import type {
  Participant,
  ParticipantId,
  ServerEventOf,
  UnsupportedClientPolicy,
} from '@conclave/protocol';
import type { SignalClient } from '../signal/signal-client';
import { fromBase64, toBase64 } from './base64';
import type { CommitOut } from './engine';
import type { E2eeWorkerClient } from './worker-client';

export type PlanEvent = ServerEventOf<
  'e2ee.plan' | 'e2ee.prepareGroup' | 'e2ee.preparedWelcome' | 'e2ee.promote'
>;

export interface PreparedBreakoutsDeps {
  worker: E2eeWorkerClient;
  signal: () => SignalClient | undefined;
  /** The E2EE manager's queue: MLS work runs in order with commits and Welcomes. */
  queue: <T>(fn: () => Promise<T>) => Promise<T>;
  /** Who this device is, who is here, and the breakout room each is in (null: the main room). */
  room: {
    selfId: () => ParticipantId | undefined;
    participants: () => Participant[];
    roomOf?: ((id: ParticipantId) => string | null) | undefined;
  };
  /** The signed policy of this meeting's groups (carried into rooms' groups), if known. */
  carried: () => MeetingPolicy | null;
  meetingPolicy: () => UnsupportedClientPolicy;
  /** KeyPackages the starter would not add: warned about like a committer's refusals. */
  refused: (out: CommitOut) => void;
  /** This device used its spare KeyPackage for a pending group: upload another. */
  replenishSpare: () => void;
  /** This device holds the pending group of `planId`. */
  ready: (planId: string) => void;
  /** The pending group is this device's room group now. */
  promoted: () => void;
  /** Leave the room group this device holds (frames stay dropped, never clear). */
  leaveGroup: () => Promise<void>;
  /** This device's move has not left its old group yet: the promotion must (and now has). */
  takeOwedLeave: () => boolean;
  /** A warning for this device's person. */
  banner: (text: string) => void;
  /** Join this room's group as after a Welcome that failed (ask for a fresh add). */
  rejoin: (err: Error) => Promise<void>;
}

/**
 * This device's part in prepared breakout groups (issue 18, server side in
 * apps/server/src/rtc/e2ee/breakout-plans.ts): as a planned room's starter it makes the room's
 * pending group; as a member it joins it from the starter's Welcome; when the rooms open it
 * promotes the group only if its roster is exactly the people its move put in its room, at its
 * own move (not once everyone has moved), and leaves it again if the `breakout.state` that
 * follows shows other people in that room.
 */
export class PreparedBreakouts {
  readonly #deps: PreparedBreakoutsDeps;
  /** The meeting's current plan, as the server last said. */
  #planId: string | null = null;
  /** The pending group this device holds, if any. */
  #held: { planId: string; room: number } | null = null;
  /** Who this device's room holds, as the server said with its last move (null: not said). */
  #room: string[] | null = null;
  /** Who the first `breakout.state` after that move puts in this device's room (undefined: none yet). */
  #stateSaid: string[] | undefined;
  /** The people a pending group was promoted against, until that state has confirmed them. */
  #promotedWith: string[] | null = null;
  /** An `e2ee.promote` is in the queue, not yet handled. */
  #promoteQueued = 0;

  constructor(deps: PreparedBreakoutsDeps) {
    this.#deps = deps;
  }

  /** The plan whose pending group this device holds (null: none). */
  get readyPlan(): string | null {
    // A replaced plan's group is discarded in turn (a promote queued before it still finds it).
    return this.#held?.planId === this.#planId ? this.#planId : null;
  }

  /**
   * An `e2ee.promote` came with this device's move and waits in the queue behind it: the move
   * may leave its old group in the promotion's own worker step rather than one of its own.
   */
  get promoteQueued(): boolean {
    return this.#promoteQueued > 0;
  }

  /** This device moved (`breakout.moved`); `members`: who its new room holds, if the server said. */
  moved(members: readonly string[] | null): void {
    this.#room = members ? [...members] : null;
    this.#stateSaid = undefined;
    this.#promotedWith = null;
  }

  /**
   * This device starts its new room's group: when the rooms' state has not come since its move,
   * the group is built for the people the move named, and that state must agree (as for a
   * promoted group, `#confirm`), or the group is left.
   */
  starting(): void {
    if (this.#room !== null && this.#stateSaid === undefined) this.#promotedWith = this.#room;
  }

  /**
   * A `breakout.state` came: the first one after a move must put exactly the people that move
   * named in this device's room, or the group promoted against them is left. Never rejects.
   */
  stateChanged(): Promise<void> {
    if (this.#stateSaid !== undefined) return Promise.resolve();
    this.#stateSaid = this.#roomFromState();
    return this.#deps
      .queue(() => this.#confirm())
      .catch((err: unknown) =>
        this.#deps.banner(
          `Leaving this breakout room's encrypted group failed: ${err instanceof Error ? err.message : 'unknown error'}`,
        ),
      );
  }

  /** The people in this device's room as the last `breakout.state` says (empty: the main room). */
  #roomFromState(): string[] {
    const { selfId, participants, roomOf = () => null } = this.#deps.room;
    const self = selfId();
    const room = self === undefined ? null : roomOf(self);
    return room === null
      ? []
      : participants()
          .filter((p) => roomOf(p.id) === room)
          .map((p) => p.id as string);
  }

  handle(ev: PlanEvent): Promise<void> {
    switch (ev.type) {
      case 'e2ee.plan':
        this.#planId = ev.planId;
        return this.#deps.queue(async () => {
          if (this.#held && this.#held.planId !== ev.planId) await this.#discard();
        });
      // Preparing is best effort and unseen: a room whose group is not ready starts it at open.
      case 'e2ee.prepareGroup':
        return this.#deps.queue(() => this.#prepare(ev).catch(() => this.#discard()));
      case 'e2ee.preparedWelcome':
        return this.#deps.queue(() => this.#join(ev).catch(() => this.#discard()));
      case 'e2ee.promote':
        this.#promoteQueued++;
        return this.#deps.queue(() => {
          this.#promoteQueued--;
          return this.#promote(ev);
        });
      default: {
        const unreachable: never = ev;
        throw new TypeError(`unknown event ${String(unreachable)}`);
      }
    }
  }

  async #prepare(ev: ServerEventOf<'e2ee.prepareGroup'>): Promise<void> {
    const signal = this.#deps.signal();
    const carried = this.#deps.carried();
    // Only in a meeting whose signed policy this device holds (it is in the main group).
    if (ev.planId !== this.#planId || !signal || !carried) return;
    if (this.#held) await this.#discard();
    const out = await this.#deps.worker.prepareGroup(
      ev.keyPackages.map((k) => fromBase64(k.keyPackage)),
      carried.unsupportedClients ?? this.#deps.meetingPolicy(),
      [...carried.offKeys],
    );
    this.#deps.refused(out);
    this.#held = { planId: ev.planId, room: ev.room };
    await signal.request({
      type: 'e2ee.prepareWelcome',
      planId: ev.planId,
      room: ev.room,
      ...(out.welcome ? { welcome: toBase64(out.welcome) } : {}),
      added: out.added.map((i) => ev.keyPackages[i]!.participantId),
    });
    this.#deps.ready(ev.planId);
  }

  async #join(ev: ServerEventOf<'e2ee.preparedWelcome'>): Promise<void> {
    const signal = this.#deps.signal();
    if (ev.planId !== this.#planId || !signal) return;
    if (this.#held) await this.#discard();
    await this.#deps.worker.joinPrepared(fromBase64(ev.welcome));
    this.#held = { planId: ev.planId, room: ev.room };
    // The spare went into this group: the next move (or an unprepared open) needs another.
    this.#deps.replenishSpare();
    await signal.request({ type: 'e2ee.prepareReady', planId: ev.planId, room: ev.room });
    this.#deps.ready(ev.planId);
  }

  async #promote(ev: ServerEventOf<'e2ee.promote'>): Promise<void> {
    const held = this.#held;
    this.#held = null;
    // The people in this device's room as its move said (breakout.moved came just before).
    const members = this.#room;
    const matches = held?.planId === ev.planId && held.room === ev.room && members !== null;
    const verdict = await this.#deps.worker.promotePrepared(
      matches ? members : [],
      this.#deps.takeOwedLeave(),
    );
    if (matches && verdict.ok) {
      this.#promotedWith = members;
      this.#deps.promoted();
      // The state may have come already (it is checked either way, in this queue).
      await this.#confirm();
      return;
    }
    const reason =
      members === null
        ? 'the server did not say who is in this room'
        : !matches
          ? 'this device holds no group prepared for this room'
          : verdict.ok
            ? ''
            : verdict.reason;
    // Shown like a committer's refusal; then this device joins the room's group afresh.
    this.#deps.banner(
      `Refused the encrypted group prepared for this breakout room (${reason}); joining the room's group afresh.`,
    );
    await this.#deps.rejoin(new Error(`prepared group refused: ${reason}`));
  }

  /**
   * The group promoted against the people this device's move named, once the `breakout.state`
   * after that move is here: the same people (those still in the meeting), or the group is left
   * and this device joins the room's group afresh, with a warning. Both lists are the server's
   * word; what they must not do is differ, so that the room shown is the group that holds the key.
   */
  async #confirm(): Promise<void> {
    const promoted = this.#promotedWith;
    const said = this.#stateSaid;
    if (!promoted || said === undefined) return;
    this.#promotedWith = null;
    const people = this.#deps.room.participants();
    const present = new Set<string>(people.map((p) => p.id));
    const moved = new Set(promoted.filter((id) => present.has(id)));
    const shown = new Set(said.filter((id) => present.has(id)));
    const differ = [...moved, ...shown].filter((id) => moved.has(id) !== shown.has(id));
    if (differ.length === 0) return;
    const names = differ
      .map((id) => people.find((p) => p.id === id)?.displayName ?? 'someone')
      .join(', ');
    this.#deps.banner(
      `Left this breakout room's encrypted group: the server put other people in the room than it named when you moved (${names}); joining the room's group afresh.`,
    );
    await this.#deps.leaveGroup();
    await this.#deps.rejoin(new Error(`room members differ from the move's (${names})`));
  }

  async #discard(): Promise<void> {
    this.#held = null;
    await this.#deps.worker.discardPrepared();
  }
}
