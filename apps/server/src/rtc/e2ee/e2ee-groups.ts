import { ConclaveError } from '@conclave/protocol';
import type { ParticipantId } from '@conclave/protocol';
import type { RoomParticipant } from '../participant';
import type { DeliveryService } from './delivery-service';
import type { PreparedRoom } from './breakout-plans';

/**
 * One MLS group per room under E2EE (issue 18): the main room's Delivery Service and one per
 * breakout room. A participant's device is in exactly one group, the one of the room it is in:
 * moving leaves the old group (its leaf is removed) and joins the new one with a fresh KeyPackage,
 * or starts it when the room's group is empty. Media in a room is sealed with that room's keys;
 * closing the rooms brings everyone back into the main group.
 *
 * Moving many at once (opening or closing rooms) is one batch: each group starts, or takes its
 * new members, once everyone has arrived, in one Commit made with the spare KeyPackage each
 * device uploaded ahead (RFC 9420 §10: published in advance, each used once). A device without
 * a spare is asked for a KeyPackage as before.
 */
export class E2eeGroups {
  readonly main: DeliveryService;
  readonly #make: (roomId: string) => DeliveryService;
  readonly #rooms = new Map<string, DeliveryService>();
  /** The room (null: main) whose group each participant's device belongs to now. */
  readonly #scope = new Map<ParticipantId, string | null>();
  /** One KeyPackage per device for its next move (public data; replaced by the next upload). */
  readonly #spares = new Map<ParticipantId, string>();
  /** While a batch of moves runs: who arrives in which group, in order. */
  #arrivals: Map<DeliveryService, RoomParticipant[]> | undefined;
  /** While a batch of moves runs: the groups taken over as prepared, with who was planned there. */
  #adopted: Map<DeliveryService, Set<ParticipantId>> | undefined;

  /** Prepared breakout groups (breakout-plans.ts): the planned room these arrivals are, if any. */
  claimPrepared: ((ids: ParticipantId[]) => PreparedRoom | undefined) | undefined;
  /** A spare KeyPackage came (a plan may be waiting for it). */
  onSpare: (() => void) | undefined;

  constructor(main: DeliveryService, make: (roomId: string) => DeliveryService) {
    this.main = main;
    this.#make = make;
  }

  /** The Delivery Service that handles `p`'s E2EE traffic now. */
  for(p: RoomParticipant): DeliveryService {
    const scope = this.#scope.get(p.id) ?? null;
    return (scope !== null && this.#rooms.get(scope)) || this.main;
  }

  /** A device's spare KeyPackage for its next room change (ignored while E2EE is off). */
  spare(p: RoomParticipant, keyPackage: string): void {
    if (!p.e2eeCapable) throw new ConclaveError('E2EE_CLIENT_UNSUPPORTED');
    if (p.waiting || p.held) throw new ConclaveError('NOT_LET_IN');
    if (!this.main.active) return;
    this.#spares.set(p.id, keyPackage);
    this.onSpare?.();
  }

  /** These devices' spares for a prepared group (all or none; each is used once). */
  takeSpares(ids: ParticipantId[]): string[] | undefined {
    const spares = ids.map((id) => this.#spares.get(id));
    if (!spares.every((s) => s !== undefined)) return undefined;
    for (const id of ids) this.#spares.delete(id);
    return spares;
  }

  /**
   * Runs `fn`, whose moves arrive in their new groups together when it ends; a room whose group
   * was prepared for exactly its people is that group from its first arrival on.
   */
  async batch<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#arrivals) return fn();
    this.#arrivals = new Map();
    this.#adopted = new Map();
    try {
      return await fn();
    } finally {
      const arrivals = this.#arrivals;
      const adopted = this.#adopted;
      this.#arrivals = this.#adopted = undefined;
      const live = [...arrivals].filter(
        ([group]) => group === this.main || [...this.#rooms.values()].includes(group),
      );
      // Prepared rooms first: their devices promoted at their moves; now the room is told.
      for (const [group, people] of live) {
        const planned = adopted.get(group);
        if (!planned) continue;
        const arrived = new Set(people.map((p) => p.id));
        for (const id of planned) if (!arrived.has(id)) group.notArrived(id);
        group.announce();
        const others = people.filter((p) => !planned.has(p.id));
        if (others.length > 0) this.#arrive(group, others);
      }
      for (const [group, people] of live) if (!adopted.has(group)) this.#arrive(group, people);
    }
  }

  /**
   * The first arrival in an empty breakout room, whose people will be `members` once the batch
   * is done: if they hold the pending group prepared for them (breakout-plans.ts), it is the
   * room's group now, and their spares stay for the next move.
   */
  #claim(group: DeliveryService, members: readonly ParticipantId[]): void {
    if (group === this.main || !this.#adopted || group.view().members.length > 0) return;
    const prepared = this.claimPrepared?.([...members]);
    if (!prepared) return;
    group.adoptPrepared(prepared.starter, members, this.main.view().enabledBy, this.main.offKey, {
      type: 'e2ee.promote',
      planId: prepared.planId,
      room: prepared.room,
    });
    this.#adopted.set(group, new Set(members));
  }

  #arrive(group: DeliveryService, people: RoomParticipant[]): void {
    const arrivals = people.map((p) => {
      const keyPackage = this.#spares.get(p.id);
      this.#spares.delete(p.id);
      return { p, keyPackage };
    });
    group.arriveAll(arrivals, this.main.view().enabledBy, this.main.offKey);
  }

  /**
   * `p` changed rooms (p.breakoutId is the new one); `roomMembers`: who the new room holds once
   * this move (or the batch it is part of) is done, as its device was just told.
   */
  moved(p: RoomParticipant, roomMembers?: readonly ParticipantId[]): void {
    const from = this.#scope.get(p.id) ?? null;
    const to = p.breakoutId;
    if (from === to) return;
    const old = this.for(p);
    this.#scope.set(p.id, to);
    if (!this.main.active) return;
    old.participantLeft(p);
    let next = to === null ? this.main : this.#rooms.get(to);
    if (!next) {
      next = this.#make(to!);
      next.restartable = true;
      this.#rooms.set(to!, next);
    }
    // While any breakout group exists, the main group may empty and start again.
    this.main.restartable = true;
    if (this.#arrivals) {
      const before = this.#arrivals.get(next) ?? [];
      this.#arrivals.set(next, [...before, p]);
      if (before.length === 0 && roomMembers) this.#claim(next, roomMembers);
      // Right after its `breakout.moved`: its device need not wait for the others' moves.
      if (this.#adopted?.get(next)?.has(p.id)) next.promote(p.id);
    } else this.#arrive(next, [p]);
    if (from !== null && old.view().members.length === 0 && !this.#arrivals?.has(old)) {
      old.close();
      this.#rooms.delete(from);
    }
    if (this.#rooms.size === 0 && this.main.view().members.length > 0)
      this.main.restartable = false;
  }

  /** `p` left the meeting. */
  left(p: RoomParticipant): void {
    this.for(p).participantLeft(p);
    this.#scope.delete(p.id);
    this.#spares.delete(p.id);
  }

  /** E2EE went off (or on afresh): breakout groups are gone. */
  reset(): void {
    for (const ds of this.#rooms.values()) ds.close();
    this.#rooms.clear();
    this.#spares.clear();
    this.main.restartable = false;
  }

  get breakoutGroups(): number {
    return this.#rooms.size;
  }

  close(): void {
    this.reset();
  }
}
