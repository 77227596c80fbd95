import { ConclaveError } from '@conclave/protocol';
import * as Y from 'yjs';

/** Largest whiteboard a meeting may hold, encoded (keeps memory per meeting bounded). */
const MAX_DOC_BYTES = 4 * 1024 * 1024;

/** A meeting's whiteboard: the server's copy of the yjs document, for late joiners. */
export class WhiteboardDoc {
  readonly #doc = new Y.Doc({ gc: true });
  #approxBytes = 0;

  /** Applies a client's update; malformed or too-large ones are refused and change nothing. */
  apply(update: Uint8Array): void {
    if (this.#approxBytes + update.length > MAX_DOC_BYTES)
      throw new ConclaveError('WHITEBOARD_FULL');
    // Validate on a scratch copy first: a bad update must not leave the shared doc half-applied.
    const scratch = new Y.Doc();
    try {
      Y.applyUpdate(scratch, Y.encodeStateAsUpdate(this.#doc));
      Y.applyUpdate(scratch, update);
    } catch {
      throw new ConclaveError('MESSAGE_MALFORMED', 'That whiteboard change could not be read.');
    } finally {
      scratch.destroy();
    }
    Y.applyUpdate(this.#doc, update);
    this.#approxBytes = Y.encodeStateAsUpdate(this.#doc).length;
  }

  state(): Uint8Array {
    return Y.encodeStateAsUpdate(this.#doc);
  }

  destroy(): void {
    this.#doc.destroy();
  }
}
