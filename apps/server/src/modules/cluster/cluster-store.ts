/**
 * The cluster's durable state (issue 19, DESIGN.md §7): the node registry and meeting leases.
 * A port: the SQL adapter keeps both in PostgreSQL (or SQLite for a single node and tests).
 */

/** What a node reports about itself with every heartbeat. */
export interface NodeReport {
  nodeId: string;
  /** Where clients and other nodes reach its HTTP and `/ws` (e.g. `https://node-a.example`). */
  publicUrl: string;
  /** The address its SFU offers as ICE candidate: media goes straight there. */
  mediaAddress: string;
  participants: number;
  meetings: number;
  /** 1-minute load average divided by the core count (0 = idle, 1 = every core busy). */
  cpu: number;
  workers: number;
}

export interface NodeRecord extends NodeReport {
  startedAt: number;
  heartbeatAt: number;
}

export interface Lease {
  meetingId: string;
  nodeId: string;
  expiresAt: number;
}

export interface ClusterStore {
  /** Inserts or refreshes the node's row (its heartbeat). */
  heartbeat(report: NodeReport, at: number, startedAt: number): Promise<void>;
  /** Every registered node, newest heartbeat first (dead ones included: callers judge). */
  listNodes(): Promise<NodeRecord[]>;
  /** Removes a node's row (graceful shutdown) and its leases. */
  removeNode(nodeId: string): Promise<void>;
  /**
   * Takes or renews the lease of `meetingId` for `nodeId` until `expiresAt`, atomically: it
   * succeeds only when no lease exists, the current one expired before `now`, or `nodeId`
   * already holds it. Returns the lease as it stands after the attempt (the winner's).
   */
  takeLease(meetingId: string, nodeId: string, now: number, expiresAt: number): Promise<Lease>;
  /** Extends the leases `nodeId` still holds among `meetingIds`; returns the ids it lost. */
  renewLeases(nodeId: string, meetingIds: string[], expiresAt: number): Promise<string[]>;
  /** The current holder, or undefined when there is none or it expired before `now`. */
  leaseOf(meetingId: string, now: number): Promise<Lease | undefined>;
  /** Drops the lease if `nodeId` holds it (the meeting ended or moved). */
  releaseLease(meetingId: string, nodeId: string): Promise<void>;
  /** Unexpired leases per node. */
  leaseCounts(now: number): Promise<Map<string, number>>;
}
