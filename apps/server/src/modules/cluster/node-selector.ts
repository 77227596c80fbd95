import type { NodeRecord } from './cluster-store';

/** A live node as placement sees it: its last report plus the leases it holds now. */
export interface Candidate extends NodeRecord {
  leases: number;
}

/**
 * Picks the node a meeting that runs nowhere starts on (LiveKit's NodeSelector). Pluggable:
 * `ClusterNode` takes any implementation (e.g. one that prefers a region).
 */
export interface NodeSelector {
  select(candidates: Candidate[], meetingId: string): Candidate;
}

/**
 * The default rule: the node with the fewest participants; on a tie the fewest meetings (live
 * leases, which count a meeting the moment it is placed, before anyone arrives); then the lowest
 * CPU load; then the node id, so every node makes the same choice from the same data.
 */
export class LeastLoadSelector implements NodeSelector {
  select(candidates: Candidate[], _meetingId: string): Candidate {
    if (candidates.length === 0) throw new TypeError('no live node to place a meeting on');
    return [...candidates].sort(
      (a, b) =>
        a.participants - b.participants ||
        a.leases - b.leases ||
        Math.round((a.cpu - b.cpu) * 100) ||
        (a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0),
    )[0]!;
  }
}
