import { randomUUID } from 'node:crypto';
import { ConclaveError } from '@conclave/protocol';
import type { KeyPackageEntry, ParticipantId, ServerEvent } from '@conclave/protocol';
import type { RoomParticipant } from '../participant';
import { assignRooms } from '../breakouts/assign-rooms';

/** What the plans need from their meeting. */
export interface BreakoutPlanPort {
  participants(): Iterable<RoomParticipant>;
  get(id: ParticipantId): RoomParticipant | undefined;
  send(id: ParticipantId, event: ServerEvent): void;
  broadcast(event: ServerEvent): void;
  /** E2EE is on and no breakout rooms are open: a plan can be prepared. */
  canPrepare(): boolean;
  /** Takes these devices' spare KeyPackages, all of them or none (undefined). */
  takeSpares(ids: ParticipantId[]): string[] | undefined;
}

export interface PrepareRequest {
  rooms: { name: string }[];
  assignments: Record<string, number>;
  manualOnly: boolean;
}

/** A starter's pending group: the Welcome for the members it added. */
export interface PrepareWelcome {
  planId: string;
  room: number;
  welcome?: string | undefined;
  added: ParticipantId[];
}

/** A host may replace the plan this often at most: each plan costs every planned device work. */
export const MIN_PREPARE_INTERVAL_MS = 200;

interface PlannedRoom {
  /** In meeting order; the first one is the room's starter (it makes the pending group). */
  members: ParticipantId[];
  /** The starter was asked to make the group (every member had a spare KeyPackage). */
  asked: boolean;
  /** Members the starter's pending group added (its Welcome went to them). */
  added: Set<ParticipantId>;
  /** Members holding the pending group: the starter, then those who processed the Welcome. */
  ready: Set<ParticipantId>;
  claimed: boolean;
}

export interface PreparedRoom {
  planId: string;
  room: number;
  starter: ParticipantId;
}

/**
 * Prepared breakout groups (issue 18). While the host plans breakout rooms under E2EE, the
 * meeting's current plan is kept here, and each planned room's starter (its first member in
 * meeting order, i.e. the one who joined first) builds that room's MLS group ahead as a pending
 * group with the other members' spare KeyPackages. When the rooms open, a room whose arrivals
 * are exactly a planned room whose members all hold its pending group takes that group as its
 * own (no Commit at open); every other room starts its group as before. Devices check the
 * pending group's roster against the opened rooms themselves: the server's word is not trusted.
 */
export class BreakoutPlans {
  readonly #port: BreakoutPlanPort;
  #plan: { id: string; rooms: PlannedRoom[]; planner: ParticipantId; reported: number } | undefined;
  #lastPrepareAt = -Infinity;

  constructor(port: BreakoutPlanPort) {
    this.#port = port;
  }

  get planId(): string | null {
    return this.#plan?.id ?? null;
  }

  prepare(host: RoomParticipant, req: PrepareRequest): { planId: string | null } {
    if (host.role !== 'host') throw new ConclaveError('NOT_HOST');
    const now = Date.now();
    if (now - this.#lastPrepareAt < MIN_PREPARE_INTERVAL_MS)
      throw new ConclaveError('RATE_LIMITED');
    this.#lastPrepareAt = now;
    if (!this.#port.canPrepare()) {
      this.clear();
      return { planId: null };
    }
    const assigned = assignRooms([...this.#port.participants()], req, req.rooms.length);
    const rooms: PlannedRoom[] = req.rooms.map(() => ({
      members: [],
      asked: false,
      added: new Set(),
      ready: new Set(),
      claimed: false,
    }));
    for (const [id, index] of assigned) rooms[index]?.members.push(id);
    const plan = { id: randomUUID(), rooms, planner: host.id, reported: -1 };
    this.#plan = plan;
    this.#port.broadcast({ type: 'e2ee.plan', planId: plan.id });
    this.spareArrived();
    this.#reportProgress();
    return { planId: plan.id };
  }

  /** A spare KeyPackage came: planned rooms that were waiting for one may be prepared now. */
  spareArrived(): void {
    const plan = this.#plan;
    if (!plan) return;
    for (const [index, room] of plan.rooms.entries()) {
      const starter = room.members[0];
      if (room.asked || starter === undefined) continue;
      const others = room.members.slice(1);
      const spares = this.#port.takeSpares(others);
      if (!spares) continue;
      room.asked = true;
      const keyPackages: KeyPackageEntry[] = others.map((id, i) => ({
        participantId: id,
        keyPackage: spares[i]!,
      }));
      this.#port.send(starter, {
        type: 'e2ee.prepareGroup',
        planId: plan.id,
        room: index,
        keyPackages,
      });
    }
  }

  /** Tells the host who planned how many rooms are prepared, when that number changes. */
  #reportProgress(): void {
    const plan = this.#plan;
    if (!plan) return;
    const ready = plan.rooms.filter((r) => r.members.every((id) => r.ready.has(id))).length;
    if (ready === plan.reported) return;
    plan.reported = ready;
    this.#port.send(plan.planner, {
      type: 'e2ee.planProgress',
      planId: plan.id,
      rooms: plan.rooms.length,
      ready,
    });
  }

  /** The starter made the pending group: its Welcome goes to the members it added. */
  welcome(from: RoomParticipant, req: PrepareWelcome): null {
    const room = this.#room(req.planId, req.room);
    if (room.members[0] !== from.id || !room.asked || room.ready.has(from.id))
      throw new ConclaveError('E2EE_BAD_STATE', 'This device was not asked to prepare that room.');
    if (req.added.length > 0 && !req.welcome)
      throw new ConclaveError('BAD_REQUEST', 'A group that adds members needs a Welcome.');
    room.ready.add(from.id);
    for (const id of req.added) {
      // Only the room's planned members: nobody else is sent a Welcome this way.
      if (!room.members.includes(id) || id === from.id) continue;
      room.added.add(id);
      this.#port.send(id, {
        type: 'e2ee.preparedWelcome',
        planId: req.planId,
        room: req.room,
        welcome: req.welcome!,
      });
    }
    this.#reportProgress();
    return null;
  }

  /** A member holds the pending group (it processed the Welcome). */
  ready(from: RoomParticipant, req: { planId: string; room: number }): null {
    const room = this.#room(req.planId, req.room);
    if (!room.added.has(from.id))
      throw new ConclaveError('E2EE_BAD_STATE', 'This device was not added to that room.');
    room.ready.add(from.id);
    this.#reportProgress();
    return null;
  }

  #room(planId: string, index: number): PlannedRoom {
    const room = this.#plan?.id === planId ? this.#plan.rooms[index] : undefined;
    if (!room) throw new ConclaveError('E2EE_BAD_STATE', 'That breakout plan was replaced.');
    return room;
  }

  /**
   * The rooms opened and `ids` arrived in one room: the planned room with exactly these members,
   * every one of them holding its pending group, or undefined (that room starts its group as
   * before).
   */
  claim(ids: ParticipantId[]): PreparedRoom | undefined {
    const plan = this.#plan;
    if (!plan) return undefined;
    const arriving = new Set(ids);
    for (const [index, room] of plan.rooms.entries()) {
      const starter = room.members[0];
      if (room.claimed || starter === undefined || room.members.length !== arriving.size) continue;
      if (!room.members.every((id) => arriving.has(id) && room.ready.has(id))) continue;
      if (!room.members.every((id) => this.#port.get(id))) continue;
      room.claimed = true;
      return { planId: plan.id, room: index, starter };
    }
    return undefined;
  }

  /** No plan any more (rooms opened, E2EE off): devices discard their pending groups. */
  clear(): void {
    if (!this.#plan) return;
    this.#plan = undefined;
    this.#port.broadcast({ type: 'e2ee.plan', planId: null });
  }
}
