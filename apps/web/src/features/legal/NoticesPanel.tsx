import { SUPPRESSION_REASONS } from '@conclave/protocol';
import type { NoticeView, SuppressionReason } from '@conclave/protocol';
import { useState } from 'react';
import { SUPPRESSION_LABELS, utc } from '../../app/legal-labels';

const RECIPIENT = { account_holder: 'Account holder', account_admin: 'Account admin' } as const;

/** User notices before disclosure: sent, or held with a recorded reason. */
export function NoticesPanel(p: {
  notices: NoticeView[];
  busy: boolean;
  onSuppress: (noticeId: string, reason: SuppressionReason, notes: string) => void;
  onSend: (noticeId: string) => void;
}) {
  return (
    <section className="card wide stack" aria-labelledby="notices-title">
      <h2 id="notices-title">User notices</h2>
      {p.notices.length === 0 ? (
        <p className="muted">No notices yet: they are created when a disclosure is approved.</p>
      ) : (
        <ul aria-label="Notices">
          {p.notices.map((n) => (
            <li key={n.id} data-testid="notice" data-state={n.state} className="stack">
              <span>
                {RECIPIENT[n.recipientKind]} · {n.state}
                {n.sentAt ? ` on ${utc(n.sentAt)}` : ''}
                {n.suppressionReason
                  ? ` · held: ${SUPPRESSION_LABELS[n.suppressionReason]} (${n.suppressionNotes ?? ''})`
                  : ''}
              </span>
              <details>
                <summary>What the notice says</summary>
                <p className="prewrap">{n.body}</p>
              </details>
              {n.state === 'pending' && (
                <NoticeActions
                  busy={p.busy}
                  onSend={() => p.onSend(n.id)}
                  onSuppress={(r, t) => p.onSuppress(n.id, r, t)}
                />
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function NoticeActions(p: {
  busy: boolean;
  onSend: () => void;
  onSuppress: (reason: SuppressionReason, notes: string) => void;
}) {
  const [reason, setReason] = useState<SuppressionReason>('ndo');
  const [notes, setNotes] = useState('');
  return (
    <div className="row wrap">
      <button className="button small" disabled={p.busy} onClick={p.onSend}>
        Send notice now
      </button>
      <label>
        Hold reason
        <select value={reason} onChange={(e) => setReason(e.target.value as SuppressionReason)}>
          {SUPPRESSION_REASONS.map((r) => (
            <option key={r} value={r}>
              {SUPPRESSION_LABELS[r]}
            </option>
          ))}
        </select>
      </label>
      <label>
        Hold notes
        <input value={notes} onChange={(e) => setNotes(e.target.value)} maxLength={4000} />
      </label>
      <button
        className="button small secondary"
        disabled={p.busy || !notes.trim()}
        onClick={() => p.onSuppress(reason, notes)}
      >
        Hold notice
      </button>
    </div>
  );
}
