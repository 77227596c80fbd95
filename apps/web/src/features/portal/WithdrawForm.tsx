import { useState } from 'react';
import type { FormEvent } from 'react';

/** Withdrawing a request: a reason (optional) and a deliberate confirmation. */
export function WithdrawForm(p: { busy: boolean; onWithdraw: (reason: string) => void }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  if (!open)
    return (
      <button className="button secondary" onClick={() => setOpen(true)}>
        Withdraw this request
      </button>
    );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    p.onWithdraw(reason);
  };
  return (
    <form className="stack" onSubmit={submit} aria-label="Withdraw">
      <label>
        Reason (optional)
        <textarea value={reason} onChange={(e) => setReason(e.target.value)} maxLength={2000} />
      </label>
      <div className="row">
        <button className="button danger" disabled={p.busy}>
          Confirm withdrawal
        </button>
        <button type="button" className="button secondary" onClick={() => setOpen(false)}>
          Keep the request
        </button>
      </div>
    </form>
  );
}
