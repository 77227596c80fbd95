import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import type { SessionDeps } from './session';
import { SignalingSession } from './session';

/** The `/ws` endpoint: one SignalingSession per connection. */
export class SignalingServer {
  readonly #deps: SessionDeps;
  readonly #sockets = new Set<WebSocket>();

  constructor(deps: SessionDeps) {
    this.#deps = deps;
  }

  register(app: FastifyInstance): void {
    app.get('/ws', { websocket: true }, (socket, req) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
      const userId = this.#deps.identifyUser?.(req) ?? Promise.resolve(undefined);
      new SignalingSession(socket, this.#deps, userId);
    });
  }

  get connectionCount(): number {
    return this.#sockets.size;
  }

  /**
   * Cuts every connection without a close handshake, as a network failure would. Operators use
   * it to move clients off a node; tests use it to prove reconnection.
   */
  dropAll(): void {
    for (const socket of this.#sockets) socket.terminate();
  }

  /** Graceful shutdown: tell every client the server is going away (1001). */
  closeAll(): void {
    for (const socket of this.#sockets) socket.close(1001, 'server shutting down');
  }
}
