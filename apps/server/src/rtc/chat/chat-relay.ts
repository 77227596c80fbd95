import { randomUUID } from 'node:crypto';
import { ConclaveError } from '@conclave/protocol';
import type { ChatMode, JoinResult, ParticipantId } from '@conclave/protocol';
import type { RoomParticipant } from '../participant';
import type { Roster } from '../roster';
import { ChatLog } from './chat-log';

/**
 * A meeting's chat delivery. In the clear it is server-relayed and kept in the ChatLog, so
 * unavailable while E2EE is on (DESIGN.md §4.1 rule 4); under E2EE only sealed messages pass.
 */
export class ChatRelay {
  readonly #roster: Roster;
  readonly #e2eeActive: () => boolean;
  readonly #log = new ChatLog();

  constructor(roster: Roster, e2eeActive: () => boolean) {
    this.#roster = roster;
    this.#e2eeActive = e2eeActive;
  }

  /** The host's mode and the history `p` may read, for their join result. */
  viewFor(p: RoomParticipant): JoinResult['chat'] {
    return { mode: this.#log.mode, history: this.#log.visibleTo(p.id) };
  }

  send(from: RoomParticipant, text: string, toId: ParticipantId | null): { messageId: string } {
    if (this.#e2eeActive()) throw new ConclaveError('E2EE_FEATURE_UNAVAILABLE');
    if (from.held) throw new ConclaveError('CHAT_DISABLED', 'You can chat once you are let in.');
    const to = toId === null ? null : this.#roster.get(toId);
    if (to === undefined) throw new ConclaveError('PARTICIPANT_NOT_FOUND');
    const message = this.#log.post(from, text, to);
    if (to) {
      to.peer?.send({ type: 'chat.message', message });
      from.peer?.send({ type: 'chat.message', message });
    } else {
      for (const p of this.#roster.values())
        if (!p.held) p.peer?.send({ type: 'chat.message', message });
    }
    return { messageId: message.id };
  }

  /**
   * E2EE on: relays a chat message sealed on the sender's device (issue 18). The server cannot
   * read it and keeps none of it; it enforces what it can see (the host's mode, who may write to
   * whom, size by schema, rate by the flood guard). The sender shows its own copy; a private one
   * goes to the recipient only.
   */
  sendSealed(
    from: RoomParticipant,
    sealed: string,
    toId: ParticipantId | null,
  ): { messageId: string } {
    if (!this.#e2eeActive()) throw new ConclaveError('E2EE_NOT_ON');
    if (from.held) throw new ConclaveError('CHAT_DISABLED', 'You can chat once you are let in.');
    const to = toId === null ? null : this.#roster.get(toId);
    if (to === undefined || to?.held) throw new ConclaveError('PARTICIPANT_NOT_FOUND');
    this.#log.check(from, to);
    const message = { id: randomUUID(), from: from.id, to: toId, sealed, sentAt: Date.now() };
    // Sealed in the sender's room group: only that room's people can open it.
    for (const p of to ? [to] : this.#roster.values())
      if (p.id !== from.id && !p.held && p.breakoutId === from.breakoutId)
        p.peer?.send({ type: 'chat.sealed', message });
    return { messageId: message.id };
  }

  setMode(by: RoomParticipant, mode: ChatMode): null {
    this.#log.setMode(by, mode);
    this.#roster.broadcast({ type: 'chat.mode', mode });
    return null;
  }
}
