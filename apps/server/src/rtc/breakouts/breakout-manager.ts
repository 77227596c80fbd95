import { randomUUID } from 'node:crypto';
import { ConclaveError } from '@conclave/protocol';
import type { BreakoutState, ParticipantId, ServerEvent } from '@conclave/protocol';
import type { Router } from '@conclave/sfu';
import type { RoomParticipant } from '../participant';
import { assignRooms } from './assign-rooms';

export interface BreakoutPort {
  participants(): Iterable<RoomParticipant>;
  get(id: ParticipantId): RoomParticipant | undefined;
  broadcast(event: ServerEvent): void;
  createRouter(): Promise<Router>;
  /** Rebuilds `p`'s media on the router of the room it is now assigned to (null: the main one). */
  moveMedia(p: RoomParticipant, room: MoveTarget | null): Promise<void>;
  /** Runs `fn` in the room's queue (timers fire outside requests). */
  serial<T>(fn: () => Promise<T>): Promise<T>;
}

export interface OpenRequest {
  rooms: { name: string }[];
  assignments: Record<string, number>;
  manualOnly: boolean;
  durationMinutes: number | null;
}

/** The breakout room someone moves to, and who is in it once the move (or the opening) is done. */
export interface MoveTarget {
  name: string;
  members: ParticipantId[];
}

interface BreakoutRoom {
  id: string;
  name: string;
  router: Router;
}

/** Breakout rooms of one meeting: each room has its own SFU router; the main room keeps its own. */
export class BreakoutManager {
  readonly #port: BreakoutPort;
  #status: BreakoutState['status'] = 'none';
  #rooms: BreakoutRoom[] = [];
  #endsAt: number | null = null;
  #closingAt: number | null = null;
  #endTimer: NodeJS.Timeout | undefined;
  #closeTimer: NodeJS.Timeout | undefined;

  constructor(port: BreakoutPort) {
    this.#port = port;
  }

  get active(): boolean {
    return this.#status !== 'none';
  }

  view(): BreakoutState {
    const assignments: Record<string, string> = {};
    for (const p of this.#port.participants()) if (p.breakoutId) assignments[p.id] = p.breakoutId;
    return {
      status: this.#status,
      rooms: this.#rooms.map((r) => ({ id: r.id, name: r.name })),
      assignments,
      endsAt: this.#endsAt,
      closingAt: this.#closingAt,
    };
  }

  routerFor(p: RoomParticipant): Router | undefined {
    return p.breakoutId ? this.#rooms.find((r) => r.id === p.breakoutId)?.router : undefined;
  }

  /** The breakout room `p` is in, or null in the main room. */
  roomOf(p: RoomParticipant): { id: string; name: string } | null {
    const room = p.breakoutId ? this.#rooms.find((r) => r.id === p.breakoutId) : undefined;
    return room ? { id: room.id, name: room.name } : null;
  }

  async open(host: RoomParticipant, req: OpenRequest): Promise<null> {
    if (host.role !== 'host') throw new ConclaveError('NOT_HOST');
    if (this.#status !== 'none')
      throw new ConclaveError('BAD_REQUEST', 'Breakout rooms are already open.');
    this.#rooms = [];
    for (const r of req.rooms)
      this.#rooms.push({ id: randomUUID(), name: r.name, router: await this.#port.createRouter() });
    this.#status = 'open';
    this.#endsAt = req.durationMinutes ? Date.now() + req.durationMinutes * 60_000 : null;
    if (this.#endsAt) {
      this.#endTimer = setTimeout(
        () => void this.#port.serial(async () => this.#startClosing(10)),
        this.#endsAt - Date.now(),
      );
      this.#endTimer.unref();
    }
    // Everyone but hosts and held participants goes to a room: as assigned, else round robin.
    const rooms = assignRooms([...this.#port.participants()], req, this.#rooms.length);
    // Each mover is told at once who its room will hold (issue 18: its device need not wait
    // for the others' moves); the state broadcast at the end says the same.
    const members = this.#rooms.map((): ParticipantId[] => []);
    for (const [id, index] of rooms) if (this.#port.get(id)) members[index]?.push(id);
    for (const [id, index] of rooms) {
      const p = this.#port.get(id);
      const room = this.#rooms[index];
      if (!p || !room) continue;
      p.breakoutId = room.id;
      await this.#port.moveMedia(p, { name: room.name, members: members[index]! });
    }
    this.#broadcastState();
    return null;
  }

  async move(
    host: RoomParticipant,
    target: RoomParticipant,
    roomIndex: number | null,
  ): Promise<null> {
    if (host.role !== 'host') throw new ConclaveError('NOT_HOST');
    if (this.#status === 'none')
      throw new ConclaveError('BAD_REQUEST', 'Open breakout rooms first.');
    await this.#moveTo(target, this.#roomAt(roomIndex));
    return null;
  }

  /**
   * A host or co-host visits a room (or returns to the main room, null): their media moves like a
   * moved participant's and their role, hence their host powers, stays. Closing brings them back.
   */
  async visit(host: RoomParticipant, roomIndex: number | null): Promise<null> {
    if (host.role !== 'host') throw new ConclaveError('NOT_HOST');
    if (this.#status === 'none')
      throw new ConclaveError('BAD_REQUEST', 'Open breakout rooms first.');
    const room = this.#roomAt(roomIndex);
    // Already there: nothing to rebuild.
    if ((room?.id ?? null) === host.breakoutId) return null;
    await this.#moveTo(host, room);
    return null;
  }

  /** The room at `index`, or null for the main room. */
  #roomAt(index: number | null): BreakoutRoom | null {
    if (index === null) return null;
    const room = this.#rooms[index];
    if (!room) throw new ConclaveError('BREAKOUT_ROOM_NOT_FOUND');
    return room;
  }

  async #moveTo(p: RoomParticipant, room: BreakoutRoom | null): Promise<void> {
    p.breakoutId = room?.id ?? null;
    const members = [...this.#port.participants()]
      .filter((x) => room !== null && x.breakoutId === room.id)
      .map((x) => x.id);
    await this.#port.moveMedia(p, room ? { name: room.name, members } : null);
    this.#broadcastState();
  }

  broadcastMessage(host: RoomParticipant, text: string): null {
    if (host.role !== 'host') throw new ConclaveError('NOT_HOST');
    if (this.#status === 'none')
      throw new ConclaveError('BAD_REQUEST', 'Open breakout rooms first.');
    this.#port.broadcast({ type: 'breakout.message', text, fromName: host.displayName });
    return null;
  }

  close(host: RoomParticipant, countdownSeconds: number): null {
    if (host.role !== 'host') throw new ConclaveError('NOT_HOST');
    if (this.#status !== 'open')
      throw new ConclaveError('BAD_REQUEST', 'No breakout rooms are open.');
    this.#startClosing(countdownSeconds);
    return null;
  }

  help(p: RoomParticipant): null {
    const roomIndex = this.#rooms.findIndex((r) => r.id === p.breakoutId);
    const room = this.#rooms[roomIndex];
    if (!room) throw new ConclaveError('BAD_REQUEST', 'You are not in a breakout room.');
    for (const h of this.#port.participants()) {
      if (h.role === 'host')
        h.peer?.send({
          type: 'breakout.helpRequested',
          participantId: p.id,
          displayName: p.displayName,
          roomName: room.name,
          roomIndex,
        });
    }
    return null;
  }

  #startClosing(countdownSeconds: number): void {
    if (this.#status !== 'open') return;
    clearTimeout(this.#endTimer);
    this.#status = 'closing';
    this.#closingAt = Date.now() + countdownSeconds * 1000;
    this.#broadcastState();
    this.#closeTimer = setTimeout(
      () => void this.#port.serial(() => this.closeNow()),
      countdownSeconds * 1000,
    );
    this.#closeTimer.unref();
  }

  /** Everyone back to the main room; the rooms' routers close. */
  async closeNow(): Promise<void> {
    if (this.#status === 'none') return;
    clearTimeout(this.#endTimer);
    clearTimeout(this.#closeTimer);
    for (const p of [...this.#port.participants()]) {
      if (!p.breakoutId) continue;
      p.breakoutId = null;
      await this.#port.moveMedia(p, null);
    }
    for (const r of this.#rooms) r.router.close();
    this.#rooms = [];
    this.#status = 'none';
    this.#endsAt = this.#closingAt = null;
    this.#broadcastState();
  }

  #broadcastState(): void {
    this.#port.broadcast({ type: 'breakout.state', state: this.view() });
  }

  dispose(): void {
    clearTimeout(this.#endTimer);
    clearTimeout(this.#closeTimer);
    for (const r of this.#rooms) r.router.close();
    this.#rooms = [];
  }
}
