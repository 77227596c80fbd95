import { ConclaveError } from '@conclave/protocol';
import type { RoomParticipant } from '../participant';
import type { Roster } from '../roster';
import { SealedWhiteboardLog } from './sealed-log';
import { WhiteboardDoc } from './whiteboard-doc';

/**
 * A meeting's whiteboard: the server-held yjs document in the clear (frozen read-only while E2EE
 * is on), and under E2EE the sealed log it keeps and forwards but cannot read.
 */
export class WhiteboardRelay {
  readonly #roster: Roster;
  readonly #e2eeActive: () => boolean;
  readonly #doc = new WhiteboardDoc();
  readonly #sealed = new SealedWhiteboardLog();

  constructor(roster: Roster, e2eeActive: () => boolean) {
    this.#roster = roster;
    this.#e2eeActive = e2eeActive;
  }

  update(from: RoomParticipant, updateB64: string): null {
    if (this.#e2eeActive()) throw new ConclaveError('E2EE_FEATURE_UNAVAILABLE');
    if (from.held) throw new ConclaveError('E2EE_FEATURE_UNAVAILABLE');
    this.#doc.apply(Buffer.from(updateB64, 'base64'));
    for (const p of this.#roster.values()) {
      if (p.id !== from.id && !p.held)
        p.peer?.send({ type: 'whiteboard.update', update: updateB64, from: from.id });
    }
    return null;
  }

  /** E2EE on: a sealed update or snapshot the server keeps and forwards but cannot read. */
  sealed(from: RoomParticipant, sealed: string, snapshot: boolean): null {
    if (!this.#e2eeActive()) throw new ConclaveError('E2EE_NOT_ON');
    if (from.held) throw new ConclaveError('E2EE_FEATURE_UNAVAILABLE');
    this.#sealed.append(sealed, snapshot);
    for (const p of this.#roster.values())
      if (p.id !== from.id && !p.held && p.breakoutId === from.breakoutId)
        p.peer?.send({ type: 'whiteboard.sealed', sealed, snapshot, from: from.id });
    return null;
  }

  /** The plaintext document (from before E2EE) and, while E2EE is on, the sealed log. */
  sync(p: RoomParticipant): { state: string; sealed: string[] } {
    if (p.held) throw new ConclaveError('E2EE_FEATURE_UNAVAILABLE');
    return {
      state: Buffer.from(this.#doc.state()).toString('base64'),
      sealed: this.#e2eeActive() ? this.#sealed.items() : [],
    };
  }

  /** E2EE turned on or off: sealed updates of before belong to a group that is gone. */
  clearSealed(): void {
    this.#sealed.clear();
  }

  destroy(): void {
    this.#doc.destroy();
  }
}
