import { ConclaveError } from '@conclave/protocol';
import type { ParticipantId, ServerEvent } from '@conclave/protocol';
import type { RoomParticipant } from './participant';

/** The people in one room (main room and breakout rooms alike) and how to reach them. */
export class Roster {
  readonly #byId = new Map<ParticipantId, RoomParticipant>();

  get size(): number {
    return this.#byId.size;
  }

  values(): IterableIterator<RoomParticipant> {
    return this.#byId.values();
  }

  get(id: ParticipantId): RoomParticipant | undefined {
    return this.#byId.get(id);
  }

  has(id: ParticipantId): boolean {
    return this.#byId.has(id);
  }

  add(p: RoomParticipant): void {
    this.#byId.set(p.id, p);
  }

  /** false: `id` was not (or no longer) in the room. */
  delete(id: ParticipantId): boolean {
    return this.#byId.delete(id);
  }

  clear(): void {
    this.#byId.clear();
  }

  /** The participant a host action is aimed at; only the host may aim one. */
  hostTarget(host: RoomParticipant, targetId: ParticipantId): RoomParticipant {
    if (host.role !== 'host') throw new ConclaveError('NOT_HOST');
    const target = this.#byId.get(targetId);
    if (!target) throw new ConclaveError('PARTICIPANT_NOT_FOUND');
    return target;
  }

  broadcast(event: ServerEvent, except?: ParticipantId): void {
    for (const p of this.#byId.values()) if (p.id !== except) p.peer?.send(event);
  }
}
