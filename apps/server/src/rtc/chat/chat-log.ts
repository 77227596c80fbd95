import { randomUUID } from 'node:crypto';
import { ConclaveError } from '@conclave/protocol';
import type { ChatMessage, ChatMode, ParticipantId } from '@conclave/protocol';
import type { RoomParticipant } from '../participant';

/** Messages kept per meeting; older ones are dropped (a meeting is not an archive). */
const MAX_HISTORY = 2000;

/**
 * A meeting's text chat: who may write to whom, and the history for the meeting's duration
 * (memory only; nothing is stored once the meeting ends).
 */
export class ChatLog {
  #mode: ChatMode = 'everyone';
  readonly #history: ChatMessage[] = [];

  get mode(): ChatMode {
    return this.#mode;
  }

  setMode(by: RoomParticipant, mode: ChatMode): void {
    if (by.role !== 'host') throw new ConclaveError('NOT_HOST');
    this.#mode = mode;
  }

  /** The host's mode and who may write to whom: all the server can check of a sealed message. */
  check(from: RoomParticipant, to: RoomParticipant | null): void {
    if (this.#mode === 'off' && from.role !== 'host') throw new ConclaveError('CHAT_DISABLED');
    if (this.#mode === 'host-only' && from.role !== 'host' && to?.role !== 'host') {
      throw new ConclaveError(
        'CHAT_DISABLED',
        'Chat is limited to the host: send your message privately to the host.',
      );
    }
    if (to && to.id === from.id)
      throw new ConclaveError('BAD_REQUEST', 'Choose someone else to message privately.');
  }

  /** Checks the rules and records the message; the caller delivers it. */
  post(from: RoomParticipant, text: string, to: RoomParticipant | null): ChatMessage {
    this.check(from, to);
    const message: ChatMessage = {
      id: randomUUID(),
      from: from.id,
      fromName: from.displayName,
      to: to?.id ?? null,
      text,
      sentAt: Date.now(),
    };
    this.#history.push(message);
    if (this.#history.length > MAX_HISTORY) this.#history.shift();
    return message;
  }

  /** What `id` may read: public messages and private ones to or from them. */
  visibleTo(id: ParticipantId): ChatMessage[] {
    return this.#history.filter((m) => m.to === null || m.to === id || m.from === id);
  }
}
