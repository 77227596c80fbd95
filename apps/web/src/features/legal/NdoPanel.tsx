import { useState } from 'react';
import { utc } from '../../app/legal-labels';
import type { NdoExtensionView, RequestView } from '@conclave/protocol';

/**
 * The delayed-notification order: its end date, whether a reviewer found it valid, extensions;
 * and for emergencies, marking the emergency over (held notices are then revisited).
 */
export function NdoPanel(p: {
  r: RequestView;
  extensions: NdoExtensionView[];
  busy: boolean;
  onReview: (valid: boolean, notes: string) => void;
  onExtend: (newEndDate: string, citation: string) => void;
  onEmergencyOver: () => void;
}) {
  const { r } = p;
  const [notes, setNotes] = useState('');
  const [endDate, setEndDate] = useState('');
  const [citation, setCitation] = useState('');
  if (!r.hasNdo && !r.isEmergency) return null;
  return (
    <section className="card wide stack" aria-labelledby="ndo-title">
      <h2 id="ndo-title">Delayed notification</h2>
      {r.hasNdo && (
        <>
          <p data-testid="ndo-status">
            {r.ndoCitation ?? 'Order'}:{' '}
            {r.ndoEndAt ? `ends ${utc(r.ndoEndAt)}` : 'no end date (cannot be valid)'} ·{' '}
            {r.ndoValid === null ? 'not reviewed' : r.ndoValid ? 'valid' : 'not valid'}
          </p>
          <div className="row wrap">
            <label>
              Review notes
              <input value={notes} onChange={(e) => setNotes(e.target.value)} />
            </label>
            <button
              className="button small"
              disabled={p.busy || !r.ndoEndAt}
              onClick={() => p.onReview(true, notes)}
            >
              Mark order valid
            </button>
            <button
              className="button small secondary"
              disabled={p.busy}
              onClick={() => p.onReview(false, notes)}
            >
              Mark order not valid
            </button>
          </div>
          {p.extensions.length > 0 && (
            <ul aria-label="Extensions">
              {p.extensions.map((e) => (
                <li key={e.id}>
                  Extended to {utc(e.newEndAt)} ({e.citation}) on {utc(e.recordedAt)}
                </li>
              ))}
            </ul>
          )}
          {r.ndoEndAt && (
            <div className="row wrap">
              <label>
                New end date (UTC)
                <input type="date" value={endDate} onChange={(e) => setEndDate(e.target.value)} />
              </label>
              <label>
                Extension citation
                <input value={citation} onChange={(e) => setCitation(e.target.value)} />
              </label>
              <button
                className="button small"
                disabled={p.busy || !endDate || !citation.trim()}
                onClick={() => p.onExtend(`${endDate}T23:59:59.999Z`, citation)}
              >
                Record extension
              </button>
            </div>
          )}
        </>
      )}
      {r.isEmergency &&
        (r.emergencyOverAt ? (
          <p>Emergency marked over on {utc(r.emergencyOverAt)}.</p>
        ) : (
          <button className="button small" disabled={p.busy} onClick={p.onEmergencyOver}>
            Mark the emergency over
          </button>
        ))}
    </section>
  );
}
