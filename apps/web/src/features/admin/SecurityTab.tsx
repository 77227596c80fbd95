import { api } from '../../app/api';
import { Feedback } from '../../components/Field';
import { useAdminData } from './useAdminData';

export function SecurityTab() {
  const { data, error, busy, act, notice } = useAdminData(api.security);
  if (!data) return <Feedback error={error} notice={undefined} />;
  return (
    <section aria-labelledby="security-title" className="stack">
      <h2 id="security-title">Security</h2>
      <label className="check">
        <input
          type="checkbox"
          checked={data.requireTwoFactor}
          disabled={busy}
          onChange={(e) =>
            void act(
              () => api.setSecurity(e.target.checked),
              e.target.checked
                ? 'Everyone must now set up two-factor sign-in before using Conclave.'
                : 'Two-factor sign-in is now optional.',
            )
          }
        />
        Require two-factor sign-in for everyone in the account
      </label>
      <Feedback error={error} notice={notice} />
    </section>
  );
}
