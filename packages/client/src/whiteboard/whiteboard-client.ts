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

/** Sealing for the whiteboard while E2EE is on (the E2EE manager; keys stay in its worker). */
export interface BoardSealer {
  /** The meeting is end-to-end encrypted: updates go sealed, never in the clear. */
  active(): boolean;
  seal(update: Uint8Array): Promise<string>;
  /** undefined: not sealed for an epoch this device holds (yet). */
  open(sealed: string): Promise<Uint8Array | undefined>;
}

/** Sealed updates kept until this device has the epoch they were sealed for. */
const MAX_PENDING = 500;

/** The shared whiteboard as a yjs document, synchronised through signaling. */
export class WhiteboardClient extends TypedEmitter<WhiteboardEvents> {
  readonly #doc = new Y.Doc();
  readonly #elements = this.#doc.getArray<WhiteboardElement>('elements');
  readonly #undo = new Y.UndoManager(this.#elements, { trackedOrigins: new Set([LOCAL]) });
  #signal: SignalClient | undefined;
  #sealer: BoardSealer | undefined;
  #pending: string[] = [];

  constructor() {
    super();
    this.#doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === REMOTE || !this.#signal) return;
      const signal = this.#signal;
      const sealer = this.#sealer?.active() ? this.#sealer : undefined;
      (sealer
        ? sealer
            .seal(update)
            .then((sealed) =>
              signal.request({ type: 'whiteboard.sealedUpdate', sealed, snapshot: false }),
            )
        : signal.request({ type: 'whiteboard.update', update: toBase64(update) })
      ).catch((err: unknown) => {
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

  setSealer(sealer: BoardSealer): void {
    this.#sealer = sealer;
  }

  /** After (re)joining: use this connection and load what the board holds. */
  async attach(signal: SignalClient): Promise<void> {
    this.#signal = signal;
    const { state, sealed } = await signal.request<{ state: string; sealed?: string[] }>({
      type: 'whiteboard.sync',
    });
    Y.applyUpdate(this.#doc, fromBase64(state), REMOTE);
    for (const s of sealed ?? []) await this.handleSealed(s);
    this.emit('change', this.elements);
  }

  handleRemote(update: string): void {
    Y.applyUpdate(this.#doc, fromBase64(update), REMOTE);
  }

  /** A sealed update: applied when it opens, else kept until this device has its epoch. */
  async handleSealed(sealed: string): Promise<void> {
    const update = await this.#sealer?.open(sealed);
    if (update) Y.applyUpdate(this.#doc, update, REMOTE);
    else this.#pending = [...this.#pending, sealed].slice(-MAX_PENDING);
  }

  /** After a key change: try the sealed updates that did not open before. */
  async retryPending(): Promise<void> {
    const waiting = this.#pending;
    this.#pending = [];
    for (const s of waiting) await this.handleSealed(s);
  }

  /**
   * The whole document, sealed for the current epoch: brings members who just joined up to date
   * and lets the server drop every sealed update before it (it cannot compact what it cannot
   * read, so a member does).
   */
  async shareSnapshot(): Promise<void> {
    if (!this.#signal || !this.#sealer?.active()) return;
    const sealed = await this.#sealer.seal(Y.encodeStateAsUpdate(this.#doc));
    await this.#signal.request({ type: 'whiteboard.sealedUpdate', sealed, snapshot: true });
  }

  /** E2EE went off: the document goes back to the server in the clear (one merge update). */
  async pushPlaintextState(): Promise<void> {
    await this.#signal?.request({
      type: 'whiteboard.update',
      update: toBase64(Y.encodeStateAsUpdate(this.#doc)),
    });
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
