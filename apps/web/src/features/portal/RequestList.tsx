import { Link } from 'react-router';
import { OUTCOME_LABELS, REQUEST_TYPE_LABELS, STATUS_LABELS, utc } from '../../app/legal-labels';
import type { RequestView } from '@conclave/protocol';

/** The agency's requests, newest first, with their status. */
export function RequestList({ requests }: { requests: RequestView[] | undefined }) {
  if (!requests) return <p aria-busy="true">Loading your requests…</p>;
  if (requests.length === 0)
    return (
      <p>
        No requests yet. <Link to="/legal/portal/new">Submit a request</Link>
      </p>
    );
  const sorted = [...requests].sort((a, b) => b.receivedAt.localeCompare(a.receivedAt));
  return (
    <table className="data-table" aria-label="My requests">
      <thead>
        <tr>
          <th>Received</th>
          <th>Type</th>
          <th>Your reference</th>
          <th>Status</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {sorted.map((r) => (
          <tr key={r.id} data-testid="request-row">
            <td>{utc(r.receivedAt)}</td>
            <td>{REQUEST_TYPE_LABELS[r.type]}</td>
            <td>{r.externalRef ?? '—'}</td>
            <td data-testid="request-status">
              {STATUS_LABELS[r.status]}
              {r.outcome && r.status !== 'withdrawn' ? ` · ${OUTCOME_LABELS[r.outcome]}` : ''}
            </td>
            <td>
              <Link to={`/legal/portal/requests/${r.id}`}>Open</Link>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
