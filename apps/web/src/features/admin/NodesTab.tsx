import { useEffect } from 'react';
import { api } from '../../app/api';
import { Feedback } from '../../components/Field';
import { useAdminData } from './useAdminData';

/**
 * The operator's view of a cluster (issue 19): each node, live or dead, and its load. Refreshed
 * every 2 s. Only the operator account sees this tab.
 */
export function NodesTab() {
  const { data, error, reload } = useAdminData(api.clusterNodes);
  useEffect(() => {
    const timer = setInterval(reload, 2000);
    return () => clearInterval(timer);
  }, [reload]);
  return (
    <section aria-labelledby="nodes-title" className="stack">
      <h2 id="nodes-title">Nodes</h2>
      <Feedback error={error} notice={undefined} />
      {data && !data.clustered && (
        <p>
          This server runs as a single node. To spread meetings over several, see &quot;Running
          several nodes&quot; in the README.
        </p>
      )}
      {data?.clustered && (
        <>
          <p className="muted">
            New meetings start on the live node with the fewest participants. A node that misses its
            heartbeats is dead: its meetings move to a live node and their participants reconnect by
            themselves.
          </p>
          <table data-testid="cluster-nodes">
            <thead>
              <tr>
                <th>Node</th>
                <th>State</th>
                <th>Address</th>
                <th>Media</th>
                <th>Meetings</th>
                <th>Participants</th>
                <th>CPU</th>
                <th>Last heartbeat</th>
              </tr>
            </thead>
            <tbody>
              {data.nodes.map((n) => (
                <tr key={n.nodeId} data-testid="cluster-node">
                  <td>{n.nodeId}</td>
                  <td className={n.live ? '' : 'warning'}>{n.live ? 'Live' : 'Dead'}</td>
                  <td>{n.url}</td>
                  <td>{n.mediaAddress}</td>
                  <td>{n.meetings}</td>
                  <td>{n.participants}</td>
                  <td>{Math.round(n.cpu * 100)}%</td>
                  <td>{new Date(n.lastHeartbeatAt).toLocaleTimeString()}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
