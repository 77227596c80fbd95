import { CHALLENGE_KINDS, DECISION_KINDS } from '@conclave/protocol';
import type {
  ChallengeKind,
  DecisionBody,
  DecisionKind,
  DecisionView,
  Outcome,
  RequestStatus,
} from '@conclave/protocol';
import { useState } from 'react';
import type { FormEvent } from 'react';
import {
  CHALLENGE_LABELS,
  DECISION_LABELS,
  OUTCOME_LABELS,
  STATUS_LABELS,
  utc,
} from '../../app/legal-labels';

const DECIDABLE: RequestStatus[] = ['received', 'in_review', 'challenged', 'awaiting_approval'];
const STATE_TEXT = {
  pending_approval: 'waiting for a second reviewer',
  effective: 'in effect',
  superseded: 'superseded',
} as const;

/** Decisions so far, the second reviewer's approval, and the form for a new decision. */
export function DecisionPanel(p: {
  decisions: DecisionView[];
  status: RequestStatus;
  outcome: Outcome | null;
  selfId: string;
  busy: boolean;
  onDecide: (body: DecisionBody) => Promise<boolean>;
  onApprove: (decisionId: string) => void;
}) {
  const [kind, setKind] = useState<DecisionKind | ''>('');
  const [challengeKind, setChallengeKind] = useState<ChallengeKind>('narrow');
  const [rationale, setRationale] = useState('');
  const pending = p.decisions.find((d) => d.state === 'pending_approval');
  const who = (id: string | null) => (id === p.selfId ? 'you' : 'another reviewer');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!kind) return;
    const body: DecisionBody =
      kind === 'challenge' ? { kind, challengeKind, rationale } : { kind, rationale };
    void p.onDecide(body).then((ok) => {
      if (ok) {
        setKind('');
        setRationale('');
      }
    });
  };
  return (
    <section className="card wide stack" aria-labelledby="decision-title">
      <h2 id="decision-title">Decision</h2>
      {p.decisions.length > 0 && (
        <ul aria-label="Decisions">
          {p.decisions.map((d) => (
            <li key={d.id} data-testid="decision" data-state={d.state}>
              <strong>{DECISION_LABELS[d.kind]}</strong>
              {d.challengeKind ? ` (${CHALLENGE_LABELS[d.challengeKind]})` : ''} by{' '}
              {who(d.decidedBy)} on {utc(d.decidedAt)} · {STATE_TEXT[d.state]}
              {d.approvedBy ? ` · approved by ${who(d.approvedBy)} on ${utc(d.approvedAt)}` : ''}
              <div className="prewrap muted">{d.rationale}</div>
            </li>
          ))}
        </ul>
      )}
      {!DECIDABLE.includes(p.status) && (
        <p className="muted" data-testid="no-further-decision">
          No further decision can be recorded: status “{STATUS_LABELS[p.status]}”
          {p.outcome ? `, outcome “${OUTCOME_LABELS[p.outcome]}”` : ''}.
          {p.decisions.length === 0 &&
            ' It was closed without a decision in this console (for example, imported from earlier records).'}
        </p>
      )}
      {pending &&
        (pending.decidedBy === p.selfId ? (
          <p className="warning" data-testid="needs-second-reviewer">
            This disclosure waits for a second reviewer: you cannot approve your own decision.
          </p>
        ) : (
          <button className="button" disabled={p.busy} onClick={() => p.onApprove(pending.id)}>
            Approve disclosure
          </button>
        ))}
      {DECIDABLE.includes(p.status) && (
        <form className="stack" onSubmit={submit} aria-label="Record a decision">
          <label>
            Decision
            <select value={kind} onChange={(e) => setKind(e.target.value as DecisionKind)}>
              <option value="">Choose…</option>
              {DECISION_KINDS.map((k) => (
                <option key={k} value={k}>
                  {DECISION_LABELS[k]}
                </option>
              ))}
            </select>
          </label>
          {kind === 'challenge' && (
            <label>
              Kind of challenge
              <select
                value={challengeKind}
                onChange={(e) => setChallengeKind(e.target.value as ChallengeKind)}
              >
                {CHALLENGE_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {CHALLENGE_LABELS[k]}
                  </option>
                ))}
              </select>
            </label>
          )}
          <label>
            Rationale
            <textarea
              value={rationale}
              onChange={(e) => setRationale(e.target.value)}
              maxLength={10_000}
              required
            />
          </label>
          {(kind === 'disclose_content' || kind === 'disclose_non_content') && (
            <p className="muted">
              A disclosure takes effect only when a second reviewer approves it.
            </p>
          )}
          <button className="button" disabled={p.busy || !kind || !rationale.trim()}>
            Record decision
          </button>
        </form>
      )}
    </section>
  );
}
