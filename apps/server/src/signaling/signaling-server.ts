import { ConclaveError } from '@conclave/protocol';
import type { Server } from 'node:net';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { AttemptLimiter } from '../modules/limits/attempt-limiter';
import type { AttemptStore } from '../modules/limits/attempt-store';
import { MemoryAttemptStore } from '../modules/limits/attempt-store';
import type { ClusterNode } from '../modules/cluster/cluster-node';
import { VIA_HEADER } from '../modules/cluster/via-header';
import type { ViaSigner } from '../modules/cluster/via-header';
import type { ConnectionInfo, SessionDeps } from './session';
import { SignalingSession } from './session';
import { proxySignaling } from './ws-proxy';

export interface SignalingServerDeps extends SessionDeps {
  /** Connections one address may hold open before joining a meeting; more are refused (429). */
  maxUnjoinedPerAddress: number;
  /** Where closures for abuse are counted per address (default: this process's memory). */
  abuseStore?: AttemptStore;
  /** Several nodes (issue 19): route joins to the meeting's owner, forwarding the socket. */
  cluster?: { node: Pick<ClusterNode, 'route' | 'assertOwner' | 'nodeId'>; via: ViaSigner };
}

/**
 * An address whose connection was closed for abuse (an oversized frame before joining, a flood)
 * may open new ones again after a wait: none for the first two, then 1 s doubling to 60 s.
 * Connections already joined are never affected.
 */
const ABUSE_POLICY = {
  freeFailures: 2,
  baseDelayMs: 1000,
  maxDelayMs: 60_000,
  forgetAfterMs: 10 * 60_000,
};

/** The `/ws` endpoint: one SignalingSession per connection. */
export class SignalingServer {
  readonly #deps: SignalingServerDeps;
  readonly #sockets = new Set<WebSocket>();
  /** Per client address: connections that have not joined a meeting yet. */
  readonly #unjoined = new Map<string, number>();
  readonly #abuse: AttemptLimiter;
  /** This process's copy of the waits the abuse limiter imposed, for the TCP-level cut. */
  readonly #blockedUntil = new Map<string, number>();

  constructor(deps: SignalingServerDeps) {
    this.#deps = deps;
    this.#abuse = new AttemptLimiter(deps.abuseStore ?? new MemoryAttemptStore(), ABUSE_POLICY);
  }

  register(app: FastifyInstance): void {
    app.get(
      '/ws',
      {
        websocket: true,
        // Before the upgrade: a refused connection costs one HTTP response, not a socket.
        preValidation: async (req, reply) => {
          const via = this.#via(req);
          if (via === 'forged') {
            const error = new ConclaveError('FORBIDDEN', 'The forwarding header is not valid.');
            return reply.status(403).send(error.toBody());
          }
          const address = via?.address ?? req.ip;
          const waitMs = await this.#abuse.waitMs(`ws-abuse:${address}`);
          if (waitMs > 0) this.#block(address, waitMs);
          const full = (this.#unjoined.get(address) ?? 0) >= this.#deps.maxUnjoinedPerAddress;
          if (waitMs > 0 || full) {
            const seconds = Math.max(1, Math.ceil(waitMs / 1000));
            const error = new ConclaveError(
              'RATE_LIMITED',
              full
                ? 'Too many connections from your address are waiting to join. Try again shortly.'
                : 'Connections from your address sent too much. Try again shortly.',
              { retryAfterSeconds: seconds },
            );
            return reply.status(429).header('retry-after', String(seconds)).send(error.toBody());
          }
        },
      },
      (socket, req) => {
        const via = this.#via(req);
        const address = (via !== 'forged' ? via?.address : undefined) ?? req.ip;
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
        const onAbuse = () =>
          void this.#abuse
            .fail(`ws-abuse:${address}`)
            .then((waitMs) => waitMs > 0 && this.#block(address, waitMs));
        new SignalingSession(socket, this.#deps, {
          userId,
          address,
          onJoined: release,
          onAbuse,
          ...this.#routing(socket, req, address, via !== undefined),
        });
      },
    );
  }

  /** The signed forwarding header of a join another node sent here (cluster only). */
  #via(req: FastifyRequest): { address: string } | 'forged' | undefined {
    const cluster = this.#deps.cluster;
    const header = req.headers[VIA_HEADER];
    if (!cluster || header === undefined) return undefined;
    return (typeof header === 'string' && cluster.via.verify(header)) || 'forged';
  }

  /**
   * A join that reaches a node which does not own the meeting is forwarded to the owner; a join
   * forwarded here is served only if this node holds the lease (never forwarded twice).
   */
  #routing(
    socket: WebSocket,
    req: FastifyRequest,
    address: string,
    forwarded: boolean,
  ): Pick<ConnectionInfo, 'route' | 'handOff'> {
    const cluster = this.#deps.cluster;
    if (!cluster) return {};
    if (forwarded)
      return {
        route: async (id) => {
          await cluster.node.assertOwner(id);
          return { kind: 'local' };
        },
      };
    return {
      route: async (id) => {
        const r = await cluster.node.route(id);
        return r.kind === 'local' ? r : { kind: 'remote', url: r.node.publicUrl };
      },
      handOff: (first, requestId, url) =>
        proxySignaling(
          socket,
          first,
          requestId,
          {
            url,
            headers: {
              ...(req.headers.cookie ? { cookie: req.headers.cookie } : {}),
              ...(req.headers['user-agent'] ? { 'user-agent': req.headers['user-agent'] } : {}),
              [VIA_HEADER]: cluster.via.sign(address, cluster.node.nodeId),
            },
          },
          this.#deps.logger,
        ),
    };
  }

  /**
   * While an address must wait, its new TCP connections are closed at accept, before any HTTP
   * is parsed: a client that keeps reconnecting costs an accept, not a request. Only where the
   * peer address is the client's (not behind a proxy, whose address all clients share).
   */
  cutBlockedConnections(server: Server): void {
    server.on('connection', (socket) => {
      const address = socket.remoteAddress;
      const until = address === undefined ? undefined : this.#blockedUntil.get(address);
      if (until === undefined) return;
      if (until > Date.now()) socket.destroy();
      else this.#blockedUntil.delete(address!);
    });
  }

  #block(address: string, waitMs: number): void {
    if (this.#blockedUntil.size > 10_000) {
      const now = Date.now();
      for (const [a, until] of this.#blockedUntil) if (until <= now) this.#blockedUntil.delete(a);
    }
    this.#blockedUntil.set(address, Date.now() + waitMs);
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
