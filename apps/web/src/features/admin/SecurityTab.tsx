import { useState } from 'react';
import { api } from '../../app/api';
import { Feedback } from '../../components/Field';
import { SaveBar } from './SaveBar';
import { useAdminData } from './useAdminData';

/** The account's sign-in rules, saved with Save. */
export function SecurityTab() {
  const { data, error, busy, act, notice } = useAdminData(api.security);
  const [draft, setDraft] = useState<boolean>();
  if (!data) return <Feedback error={error} notice={undefined} />;
  const value = draft ?? data.requireTwoFactor;
  const dirty = draft !== undefined && draft !== data.requireTwoFactor;
  return (
    <form
      aria-labelledby="security-title"
      className="stack settings-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (!dirty) return;
        void act(
          () => api.setSecurity(value),
          value
            ? 'Everyone must now set up two-factor sign-in before using Conclave.'
            : 'Two-factor sign-in is now optional.',
        ).then((ok) => ok && setDraft(undefined));
      }}
    >
      <h2 id="security-title">Security</h2>
      <label className="check">
        <input
          type="checkbox"
          checked={value}
          disabled={busy}
          onChange={(e) => setDraft(e.target.checked)}
        />
        Require two-factor sign-in for everyone in the account
      </label>
      <SaveBar dirty={dirty} busy={busy} error={error} notice={notice} />
    </form>
  );
}
