import { ConclaveError } from '@conclave/protocol';
import type { Logger } from '../../logger';
import type { ClusterStore, NodeRecord, NodeReport } from './cluster-store';
import type { NodeSelector } from './node-selector';
import { LeastLoadSelector } from './node-selector';

/** Where a join for a meeting is served. */
export type Route = { kind: 'local' } | { kind: 'remote'; node: NodeRecord };

export interface ClusterTimings {
  /** How often a node writes its heartbeat and renews its leases. */
  heartbeatMs: number;
  /**
   * How long a lease lasts without renewal, and how old a heartbeat may be before the node counts
   * as dead. A killed owner's meetings move after at most this long.
   */
  leaseMs: number;
}

export interface ClusterNodeDeps {
  store: ClusterStore;
  /** This node's identity and addresses (known once it listens; load is added at each beat). */
  self: () => Omit<NodeReport, 'participants' | 'meetings' | 'cpu'>;
  timings: ClusterTimings;
  /** The meetings with a live room here and how many participants they have. */
  localLoad: () => { meetingIds: string[]; participants: number; cpu: number };
  /** A room here whose lease another node took (this node was cut off): close it. */
  lostMeeting: (meetingId: string) => void;
  logger: Logger;
  selector?: NodeSelector;
  now?: () => number;
}

/**
 * One node of a cluster (issue 19, DESIGN.md §7, LiveKit's model): registers itself with a
 * heartbeat, renews the leases of the meetings it runs, and tells where a meeting runs, placing
 * it on the least-loaded live node when it runs nowhere.
 */
export class ClusterNode {
  readonly #d: ClusterNodeDeps;
  readonly #selector: NodeSelector;
  readonly #now: () => number;
  readonly #startedAt: number;
  #timer: NodeJS.Timeout | undefined;
  #beating: Promise<void> | undefined;
  #stopped = false;

  constructor(deps: ClusterNodeDeps) {
    this.#d = deps;
    this.#selector = deps.selector ?? new LeastLoadSelector();
    this.#now = deps.now ?? Date.now;
    this.#startedAt = this.#now();
  }

  get nodeId(): string {
    return this.#d.self().nodeId;
  }

  /** Registers now, then beats every `heartbeatMs`. */
  async start(): Promise<void> {
    await this.beat();
    this.#timer = setInterval(() => {
      if (this.#beating) return;
      this.#beating = this.beat()
        .catch((err: unknown) => this.#d.logger.error({ err }, 'cluster heartbeat failed'))
        .finally(() => (this.#beating = undefined));
    }, this.#d.timings.heartbeatMs);
    this.#timer.unref();
  }

  /** One heartbeat: report load, renew this node's leases, close rooms whose lease was lost. */
  async beat(): Promise<void> {
    if (this.#stopped) return;
    const now = this.#now();
    const load = this.#d.localLoad();
    await this.#d.store.heartbeat(
      {
        ...this.#d.self(),
        participants: load.participants,
        meetings: load.meetingIds.length,
        cpu: load.cpu,
      },
      now,
      this.#startedAt,
    );
    const lost = await this.#d.store.renewLeases(
      this.nodeId,
      load.meetingIds,
      now + this.#d.timings.leaseMs,
    );
    for (const id of lost) {
      this.#d.logger.warn({ meetingId: id }, 'lost the lease of a meeting: closing it here');
      this.#d.lostMeeting(id);
    }
  }

  /** Stops beating; `deregister` also drops the node's row and leases (graceful shutdown). */
  async stop(deregister: boolean): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    await this.#beating;
    if (deregister) await this.#d.store.removeNode(this.nodeId);
  }

  /** Nodes whose last heartbeat is recent enough. */
  async liveNodes(): Promise<NodeRecord[]> {
    const now = this.#now();
    return (await this.#d.store.listNodes()).filter((n) => this.isLive(n, now));
  }

  isLive(node: NodeRecord, now = this.#now()): boolean {
    return now - node.heartbeatAt <= this.#d.timings.leaseMs;
  }

  /**
   * Where a join for `meetingId` goes. A live lease names the owner; without one the selector
   * places the meeting and the lease is taken for the chosen node (atomically: when two nodes
   * place at once, both read back the single winner). Throws NODE_UNAVAILABLE while the owner's
   * lease outlives the owner (it died less than `leaseMs` ago): the client retries.
   */
  async route(meetingId: string): Promise<Route> {
    const now = this.#now();
    const nodes = await this.#d.store.listNodes();
    const byId = new Map(nodes.map((n) => [n.nodeId, n]));
    let lease = await this.#d.store.leaseOf(meetingId, now);
    if (!lease) {
      const counts = await this.#d.store.leaseCounts(now);
      const live = nodes
        .filter((n) => this.isLive(n, now))
        .map((n) => ({ ...n, leases: counts.get(n.nodeId) ?? 0 }));
      // This node is alive even when its first heartbeat is still in flight.
      const chosen =
        live.length > 0 ? this.#selector.select(live, meetingId) : { nodeId: this.nodeId };
      lease = await this.#d.store.takeLease(
        meetingId,
        chosen.nodeId,
        now,
        now + this.#d.timings.leaseMs,
      );
    }
    if (lease.nodeId === this.nodeId) return { kind: 'local' };
    const owner = byId.get(lease.nodeId);
    if (!owner || !this.isLive(owner, now)) throw unavailable(lease.expiresAt - now);
    return { kind: 'remote', node: owner };
  }

  /**
   * For a join that another node forwarded here: serve it only if this node holds the lease
   * (taking it when it is free), so a proxied join can never start a second copy of a meeting.
   */
  async assertOwner(meetingId: string): Promise<void> {
    const now = this.#now();
    const lease = await this.#d.store.takeLease(
      meetingId,
      this.nodeId,
      now,
      now + this.#d.timings.leaseMs,
    );
    if (lease.nodeId !== this.nodeId) throw unavailable(lease.expiresAt - now);
  }

  /** The live node other than this one that holds the meeting's lease, if any. */
  async ownerElsewhere(meetingId: string): Promise<string | undefined> {
    const now = this.#now();
    const lease = await this.#d.store.leaseOf(meetingId, now);
    if (!lease || lease.nodeId === this.nodeId) return undefined;
    const owner = (await this.#d.store.listNodes()).find((n) => n.nodeId === lease.nodeId);
    return owner && this.isLive(owner, now) ? owner.nodeId : undefined;
  }

  /** The meeting ended or its room closed: let the lease go at once. */
  async release(meetingId: string): Promise<void> {
    await this.#d.store.releaseLease(meetingId, this.nodeId);
  }
}

function unavailable(retryMs: number): ConclaveError {
  return new ConclaveError('NODE_UNAVAILABLE', undefined, {
    retryAfterSeconds: Math.max(1, Math.ceil(retryMs / 1000)),
  });
}
