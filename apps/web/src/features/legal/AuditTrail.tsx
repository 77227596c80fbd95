import { utc } from '../../app/legal-labels';
import type { AuditEntryView } from '@conclave/protocol';

/** This request's entries of the hash-chained audit log (read-only: nobody edits an entry). */
export function AuditTrail({ entries, selfId }: { entries: AuditEntryView[]; selfId: string }) {
  const actor = (e: AuditEntryView) =>
    e.actorKind === 'requester'
      ? 'requester'
      : e.actorKind === 'system'
        ? 'system'
        : e.actorId === selfId
          ? 'you'
          : `reviewer ${e.actorId.slice(0, 8)}`;
  return (
    <section className="card wide" aria-labelledby="audit-title">
      <h2 id="audit-title">Audit trail</h2>
      <table className="data-table" aria-label="Audit trail">
        <thead>
          <tr>
            <th>#</th>
            <th>When</th>
            <th>Who</th>
            <th>Action</th>
            <th>Detail</th>
            <th>Hash</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.seq} data-testid="audit-entry">
              <td>{e.seq}</td>
              <td>{utc(e.at)}</td>
              <td>{actor(e)}</td>
              <td>{e.action}</td>
              <td>{e.detail !== '{}' && <code className="audit-detail">{e.detail}</code>}</td>
              <td>
                <code title={e.hash}>{e.hash.slice(0, 12)}…</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
