import { ConclaveError } from '@conclave/protocol';
import type { ParticipantId, Reaction } from '@conclave/protocol';
import type { RoomParticipant } from '../participant';
import type { Roster } from '../roster';

/** Reactions: at most one every half second per participant (a held key is not a flood). */
const REACTION_INTERVAL_MS = 500;

/**
 * The stage (issue 17): spotlight, raised hands, reactions. Names and flags only, so they work
 * with E2EE on.
 */
export class StageControls {
  readonly #roster: Roster;

  constructor(roster: Roster) {
    this.#roster = roster;
  }

  /** Host: spotlight one person for everyone (one at a time), or nobody (null). */
  spotlight(host: RoomParticipant, targetId: ParticipantId | null): null {
    if (host.role !== 'host') throw new ConclaveError('NOT_HOST');
    const target = targetId === null ? null : this.#roster.hostTarget(host, targetId);
    for (const p of this.#roster.values()) {
      const on = p === target;
      if (p.spotlight === on) continue;
      p.spotlight = on;
      this.#roster.broadcast({ type: 'participant.updated', participant: p.view() });
    }
    return null;
  }

  /** Raise or lower one's own hand (only its owner changes it). */
  raiseHand(p: RoomParticipant, raised: boolean): null {
    if (p.handRaised === raised) return null;
    p.handRaised = raised;
    this.#roster.broadcast({ type: 'participant.updated', participant: p.view() });
    return null;
  }

  /** A reaction to everyone in the same room; at most one per REACTION_INTERVAL_MS each. */
  react(p: RoomParticipant, reaction: Reaction): null {
    const now = Date.now();
    if (now - p.lastReactionAt < REACTION_INTERVAL_MS) throw new ConclaveError('RATE_LIMITED');
    p.lastReactionAt = now;
    for (const other of this.#roster.values())
      if (other.breakoutId === p.breakoutId)
        other.peer?.send({ type: 'reaction', participantId: p.id, reaction });
    return null;
  }
}
