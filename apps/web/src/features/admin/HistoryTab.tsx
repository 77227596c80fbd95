import { api } from '../../app/api';
import { Feedback } from '../../components/Field';
import { useAdminData } from './useAdminData';

/** Every admin action, newest first (written by the server in the same step as the change). */
export function HistoryTab({ nameOf }: { nameOf: (userId: string | null) => string }) {
  const { data, error } = useAdminData(api.audit);
  return (
    <section aria-labelledby="history-title" className="stack">
      <h2 id="history-title">Admin-action history</h2>
      <Feedback error={error} notice={undefined} />
      {data && (
        <table className="data-table" aria-label="Admin actions">
          <thead>
            <tr>
              <th>When</th>
              <th>Who</th>
              <th>Action</th>
              <th>Details</th>
            </tr>
          </thead>
          <tbody>
            {data.entries.map((e) => (
              <tr key={e.seq} data-testid="audit-row">
                <td>{new Date(e.at).toLocaleString()}</td>
                <td>{nameOf(e.actorUserId)}</td>
                <td>{e.action}</td>
                <td>
                  {e.target ? `${e.target} ` : ''}
                  {Object.keys(e.detail).length > 0 ? JSON.stringify(e.detail) : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
