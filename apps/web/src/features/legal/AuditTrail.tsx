import { useState } from 'react';
import { utc } from '../../app/legal-labels';
import type { AuditEntryView } from '@conclave/protocol';
import { groupViews, rowAction } from './audit-rows';

/** This request's entries of the hash-chained audit log (read-only: nobody edits an entry). */
export function AuditTrail({ entries, selfId }: { entries: AuditEntryView[]; selfId: string }) {
  const [eachView, setEachView] = useState(false);
  const actor = (e: AuditEntryView) =>
    e.actorKind === 'requester'
      ? 'requester'
      : e.actorKind === 'system'
        ? 'system'
        : e.actorId === selfId
          ? 'you'
          : `reviewer ${e.actorId.slice(0, 8)}`;
  const rows = eachView
    ? entries.map((e) => ({ first: e, last: e, count: 1, actions: new Map([[e.action, 1]]) }))
    : groupViews(entries);
  const grouped = entries.length - rows.length;
  return (
    <section className="card wide" aria-labelledby="audit-title">
      <h2 id="audit-title">Audit trail</h2>
      {(grouped > 0 || eachView) && (
        <p className="muted">
          {eachView
            ? `Showing all ${entries.length} entries. `
            : `Repeated views are shown once with their count (${grouped} ${grouped === 1 ? 'entry' : 'entries'} folded). `}
          <button
            type="button"
            className="button secondary small"
            onClick={() => setEachView(!eachView)}
          >
            {eachView ? 'Fold repeated views' : 'Show every entry'}
          </button>
        </p>
      )}
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
          {rows.map((row) => {
            const { first, last, count } = row;
            return (
              <tr key={first.seq} data-testid="audit-entry">
                <td>{count > 1 ? `${first.seq}–${last.seq}` : first.seq}</td>
                <td>{count > 1 ? `${utc(first.at)} – ${utc(last.at)}` : utc(first.at)}</td>
                <td>{actor(first)}</td>
                <td>{rowAction(row)}</td>
                <td>
                  {count === 1 && first.detail !== '{}' && (
                    <code className="audit-detail">{first.detail}</code>
                  )}
                </td>
                <td>
                  <code title={last.hash}>{last.hash.slice(0, 12)}…</code>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
