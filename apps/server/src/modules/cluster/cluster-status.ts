import type { ClusterNodeView } from '@conclave/protocol';
import type { ClusterStore } from './cluster-store';

/** Every registered node with its load and whether it is live (for /admin and the CLI). */
export async function clusterStatus(
  store: ClusterStore,
  leaseMs: number,
  now = Date.now(),
): Promise<ClusterNodeView[]> {
  const [nodes, leases] = await Promise.all([store.listNodes(), store.leaseCounts(now)]);
  return nodes
    .map((n) => ({
      nodeId: n.nodeId,
      url: n.publicUrl,
      mediaAddress: n.mediaAddress,
      live: now - n.heartbeatAt <= leaseMs,
      participants: n.participants,
      meetings: leases.get(n.nodeId) ?? 0,
      cpu: n.cpu,
      workers: n.workers,
      startedAt: new Date(n.startedAt).toISOString(),
      lastHeartbeatAt: new Date(n.heartbeatAt).toISOString(),
    }))
    .sort((a, b) => a.nodeId.localeCompare(b.nodeId));
}

/** A plain-text table for `conclave cluster status`. */
export function formatClusterStatus(nodes: ClusterNodeView[], now = Date.now()): string {
  if (nodes.length === 0)
    return 'No nodes registered (a single node without REDIS_URL does not register).';
  const rows = [
    ['NODE', 'STATE', 'URL', 'MEDIA', 'MEETINGS', 'PARTICIPANTS', 'CPU', 'WORKERS', 'HEARTBEAT'],
    ...nodes.map((n) => [
      n.nodeId,
      n.live ? 'live' : 'dead',
      n.url,
      n.mediaAddress,
      String(n.meetings),
      String(n.participants),
      n.cpu.toFixed(2),
      String(n.workers),
      `${((now - Date.parse(n.lastHeartbeatAt)) / 1000).toFixed(1)} s ago`,
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const live = nodes.filter((n) => n.live).length;
  return [
    ...rows.map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    ),
    '',
    `${live} of ${nodes.length} node(s) live.`,
  ].join('\n');
}
