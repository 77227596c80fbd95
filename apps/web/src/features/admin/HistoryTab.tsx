import { api } from '../../app/api';
import { Feedback } from '../../components/Field';
import { actionText, detailText } from './audit-text';
import { useAdminData } from './useAdminData';

/** Every admin action, newest first (written by the server in the same step as the change). */
export function HistoryTab({
  nameOf,
  knownName,
}: {
  nameOf: (userId: string | null) => string;
  /** A user's name when `id` is a user of this account (targets are users, accounts, ...). */
  knownName: (id: string) => string | undefined;
}) {
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
                <td>
                  {actionText(e.action)} <code className="muted">{e.action}</code>
                </td>
                <td>
                  {e.target && knownName(e.target) ? `${knownName(e.target)}. ` : ''}
                  {detailText(e.detail)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
