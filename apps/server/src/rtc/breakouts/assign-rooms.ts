import type { ParticipantId } from '@conclave/protocol';
import type { RoomParticipant } from '../participant';

/**
 * Who goes to which room (index) when the rooms open: everyone but hosts and held participants,
 * as assigned, else round robin (unless `manualOnly`). One function for opening and for the E2EE
 * plan made before it, so that the same people give the same rooms.
 */
export function assignRooms(
  participants: Iterable<RoomParticipant>,
  req: { assignments: Record<string, number>; manualOnly: boolean },
  roomCount: number,
): Map<ParticipantId, number> {
  const out = new Map<ParticipantId, number>();
  let next = 0;
  for (const p of participants) {
    if (p.role === 'host' || p.held) continue;
    const index = req.assignments[p.id] ?? (req.manualOnly ? undefined : next++ % roomCount);
    if (index !== undefined && index < roomCount) out.set(p.id, index);
  }
  return out;
}
