import { ConclaveError } from '@conclave/protocol';
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import type { SessionDeps } from './session';
import { SignalingSession } from './session';

export interface SignalingServerDeps extends SessionDeps {
  /** Connections one address may hold open before joining a meeting; more are refused (429). */
  maxUnjoinedPerAddress: number;
}

/** The `/ws` endpoint: one SignalingSession per connection. */
export class SignalingServer {
  readonly #deps: SignalingServerDeps;
  readonly #sockets = new Set<WebSocket>();
  /** Per client address: connections that have not joined a meeting yet. */
  readonly #unjoined = new Map<string, number>();

  constructor(deps: SignalingServerDeps) {
    this.#deps = deps;
  }

  register(app: FastifyInstance): void {
    app.get(
      '/ws',
      {
        websocket: true,
        // Before the upgrade: a refused connection costs one HTTP response, not a socket.
        preValidation: async (req, reply) => {
          if ((this.#unjoined.get(req.ip) ?? 0) >= this.#deps.maxUnjoinedPerAddress) {
            const error = new ConclaveError(
              'RATE_LIMITED',
              'Too many connections from your address are waiting to join. Try again shortly.',
              { retryAfterSeconds: 5 },
            );
            return reply.status(429).header('retry-after', '5').send(error.toBody());
          }
        },
      },
      (socket, req) => {
        const address = req.ip;
        this.#sockets.add(socket);
        this.#unjoined.set(address, (this.#unjoined.get(address) ?? 0) + 1);
        let counted = true;
        const release = () => {
          if (!counted) return;
          counted = false;
          const left = (this.#unjoined.get(address) ?? 1) - 1;
          if (left > 0) this.#unjoined.set(address, left);
          else this.#unjoined.delete(address);
        };
        socket.on('close', () => {
          this.#sockets.delete(socket);
          release();
        });
        const userId = this.#deps.identifyUser?.(req) ?? Promise.resolve(undefined);
        new SignalingSession(socket, this.#deps, { userId, address, onJoined: release });
      },
    );
  }

  get connectionCount(): number {
    return this.#sockets.size;
  }

  /** Connections that have not joined a meeting, per address (tests and diagnostics). */
  unjoinedFrom(address: string): number {
    return this.#unjoined.get(address) ?? 0;
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
