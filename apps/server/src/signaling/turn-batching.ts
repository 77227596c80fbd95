import type { WebSocket } from 'ws';

/** The TCP socket under a `ws` WebSocket (ws keeps it as `_socket`), if it has one. */
function rawSocket(socket: WebSocket): { cork(): void; uncork(): void } | undefined {
  const raw = (socket as unknown as { _socket?: { cork?: unknown; uncork?: unknown } | null })
    ._socket;
  return raw && typeof raw.cork === 'function' && typeof raw.uncork === 'function'
    ? (raw as { cork(): void; uncork(): void })
    : undefined;
}

/**
 * Frames one session sends in the same turn of the event loop leave in one write: the TCP
 * socket is corked at the first and uncorked once that turn's synchronous work is done
 * (process.nextTick, before any I/O or timer). Same frames, same order, no added wait; one
 * system call where there were several, e.g. a breakout move's `breakout.moved` and, under E2EE,
 * its `e2ee.promote`, or the rooms' `breakout.state` and `e2ee.state` (issue 18: the server
 * sends them to every moving device on its one thread).
 */
export class TurnBatching {
  readonly #socket: WebSocket;
  #corked = false;

  constructor(socket: WebSocket) {
    this.#socket = socket;
  }

  /** Call before each send: the first of a turn corks the socket until the turn ends. */
  beforeSend(): void {
    if (this.#corked) return;
    const raw = rawSocket(this.#socket);
    if (!raw) return;
    raw.cork();
    this.#corked = true;
    process.nextTick(() => {
      this.#corked = false;
      raw.uncork();
    });
  }
}
