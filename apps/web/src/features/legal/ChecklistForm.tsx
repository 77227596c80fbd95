import { CHECK_RESULTS, REVIEW_GROUNDS } from '@conclave/protocol';
import type { ChecklistAnswerView, CheckResult, ReviewGround } from '@conclave/protocol';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { CHECK_RESULT_LABELS, GROUND_LABELS } from '../../app/legal-labels';

type Answer = { result: CheckResult | ''; notes: string };

/** The seven challenge grounds, each pass / fail / not applicable with notes. */
export function ChecklistForm(p: {
  saved: ChecklistAnswerView[];
  disabled: boolean;
  busy: boolean;
  onSave: (answers: { ground: ReviewGround; result: CheckResult; notes: string }[]) => void;
}) {
  const [answers, setAnswers] = useState<Record<ReviewGround, Answer>>(() => {
    const init = {} as Record<ReviewGround, Answer>;
    for (const g of REVIEW_GROUNDS) {
      const s = p.saved.find((a) => a.ground === g);
      init[g] = { result: s?.result ?? '', notes: s?.notes ?? '' };
    }
    return init;
  });
  const set = (g: ReviewGround, patch: Partial<Answer>) =>
    setAnswers({ ...answers, [g]: { ...answers[g], ...patch } });
  const answered = REVIEW_GROUNDS.filter((g) => answers[g].result !== '');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    p.onSave(
      answered.map((g) => ({
        ground: g,
        result: answers[g].result as CheckResult,
        notes: answers[g].notes,
      })),
    );
  };
  return (
    <form className="card wide stack" onSubmit={submit} aria-label="Review checklist">
      <h2>Review checklist</h2>
      {REVIEW_GROUNDS.map((g) => (
        <fieldset key={g} className="fieldset" data-testid="ground" disabled={p.disabled}>
          <legend>{GROUND_LABELS[g]}</legend>
          <div className="row" role="radiogroup" aria-label={GROUND_LABELS[g]}>
            {CHECK_RESULTS.map((r) => (
              <label className="check" key={r}>
                <input
                  type="radio"
                  name={`ground-${g}`}
                  checked={answers[g].result === r}
                  onChange={() => set(g, { result: r })}
                />
                {CHECK_RESULT_LABELS[r]}
              </label>
            ))}
          </div>
          <label>
            {`Notes: ${GROUND_LABELS[g]}`}
            <textarea
              value={answers[g].notes}
              onChange={(e) => set(g, { notes: e.target.value })}
              maxLength={4000}
            />
          </label>
        </fieldset>
      ))}
      <button className="button" disabled={p.disabled || p.busy || answered.length === 0}>
        Save checklist
      </button>
      <p className="muted">
        {answered.length} of {REVIEW_GROUNDS.length} grounds answered.
        {p.disabled &&
          ' The request is closed: the checklist is kept as it was and can no longer change.'}
      </p>
    </form>
  );
}
