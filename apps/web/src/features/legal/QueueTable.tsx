import { Link } from 'react-router';
import { REQUEST_TYPE_LABELS, STATUS_LABELS, utc } from '../../app/legal-labels';
import type { QueueItem } from '@conclave/protocol';

/** Open requests in the server's order: emergencies first, then by SLA due time. */
export function QueueTable({ queue }: { queue: QueueItem[] }) {
  if (queue.length === 0) return <p>No open requests.</p>;
  return (
    <table className="data-table" aria-label="Request queue">
      <thead>
        <tr>
          <th>Due (SLA)</th>
          <th>Type</th>
          <th>Jurisdiction</th>
          <th>Targets</th>
          <th>Received</th>
          <th>Status</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {queue.map(({ request: r, slaDueAt, overdue }) => (
          <tr key={r.id} data-testid="queue-row" data-emergency={r.isEmergency}>
            <td>
              {utc(slaDueAt)}
              {overdue && <strong className="badge danger"> Overdue</strong>}
            </td>
            <td>
              {r.isEmergency && <strong className="badge danger">Emergency </strong>}
              {REQUEST_TYPE_LABELS[r.type]}
            </td>
            <td>
              {r.country}
              {r.subdivision ? `-${r.subdivision}` : ''}
            </td>
            <td>{r.targets.length}</td>
            <td>{utc(r.receivedAt)}</td>
            <td>{STATUS_LABELS[r.status]}</td>
            <td>
              <Link
                to={`/legal/requests/${r.id}`}
              >{`Review ${r.externalRef ?? r.id.slice(0, 8)}`}</Link>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
