import * as Y from 'yjs';
import { fromBase64, toBase64 } from '../e2ee/base64';
import type { SignalClient } from '../signal/signal-client';
import { TypedEmitter } from '../typed-emitter';

/** One thing on the board. Coordinates are 0..1 of the board, so every screen size agrees. */
export interface WhiteboardElement {
  id: string;
  kind: 'stroke' | 'rect' | 'ellipse' | 'text';
  color: string;
  width: number;
  /** stroke: x0,y0,x1,y1,... */
  points?: number[];
  x?: number;
  y?: number;
  w?: number;
  h?: number;
  text?: string;
  author: string;
}

export type WhiteboardEvents = {
  change: [WhiteboardElement[]];
  /** A change was refused (E2EE on, board full, too large); the user is told. */
  error: [string];
};

const LOCAL = 'local';
const REMOTE = 'remote';

/** The shared whiteboard as a yjs document, synchronised through signaling. */
export class WhiteboardClient extends TypedEmitter<WhiteboardEvents> {
  readonly #doc = new Y.Doc();
  readonly #elements = this.#doc.getArray<WhiteboardElement>('elements');
  readonly #undo = new Y.UndoManager(this.#elements, { trackedOrigins: new Set([LOCAL]) });
  #signal: SignalClient | undefined;

  constructor() {
    super();
    this.#doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === REMOTE || !this.#signal) return;
      this.#signal
        .request({ type: 'whiteboard.update', update: toBase64(update) })
        .catch((err: unknown) => {
          this.emit(
            'error',
            err instanceof Error ? err.message : 'The whiteboard change was not saved.',
          );
        });
    });
    this.#elements.observe(() => this.emit('change', this.elements));
  }

  get elements(): WhiteboardElement[] {
    return this.#elements.toArray();
  }

  /** After (re)joining: use this connection and load what the board holds. */
  async attach(signal: SignalClient): Promise<void> {
    this.#signal = signal;
    const { state } = await signal.request<{ state: string }>({ type: 'whiteboard.sync' });
    Y.applyUpdate(this.#doc, fromBase64(state), REMOTE);
    this.emit('change', this.elements);
  }

  handleRemote(update: string): void {
    Y.applyUpdate(this.#doc, fromBase64(update), REMOTE);
  }

  add(element: WhiteboardElement): void {
    this.#doc.transact(() => this.#elements.push([element]), LOCAL);
  }

  erase(id: string): void {
    const index = this.#elements.toArray().findIndex((e) => e.id === id);
    if (index >= 0) this.#doc.transact(() => this.#elements.delete(index, 1), LOCAL);
  }

  clear(): void {
    this.#doc.transact(() => this.#elements.delete(0, this.#elements.length), LOCAL);
  }

  undo(): void {
    this.#undo.undo();
  }
}
