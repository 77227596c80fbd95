import type { PlanId } from '@conclave/protocol';
import { api } from '../../app/api';
import { Feedback } from '../../components/Field';
import { useAdminData } from './useAdminData';

const yes = (v: boolean) => (v ? 'Yes' : 'No');

/** The plan feature matrix (plans are data) and the switch between plans. */
export function PlanTab() {
  const { data, error, busy, act, notice } = useAdminData(api.plan);
  if (!data) return <Feedback error={error} notice={undefined} />;
  const choose = (plan: PlanId) =>
    void act(
      () => api.setPlan(plan),
      `The account is now on ${data.plans.find((p) => p.id === plan)?.name}. It applies at once.`,
    );
  return (
    <section aria-labelledby="plan-title" className="stack">
      <h2 id="plan-title">Plan</h2>
      <p>
        Current plan:{' '}
        <strong data-testid="current-plan">
          {data.plans.find((p) => p.id === data.plan)?.name}
        </strong>
      </p>
      <table className="data-table" aria-label="Plans">
        <thead>
          <tr>
            <th>Plan</th>
            <th>End-to-end encryption</th>
            <th>Participants per meeting</th>
            <th>Cloud recording</th>
            <th>Cloud transcripts (captions saved with recordings)</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {data.plans.map((p) => (
            <tr key={p.id} className={p.id === data.plan ? 'current' : undefined}>
              <th scope="row">{p.name}</th>
              <td>{p.e2ee ? 'Available (admin decides)' : 'Not included'}</td>
              <td>{p.maxParticipants}</td>
              <td>{yes(p.cloudRecording)}</td>
              <td>{yes(p.cloudTranscripts)}</td>
              <td>
                {p.id === data.plan ? (
                  'Current'
                ) : (
                  <button
                    className="button small"
                    disabled={busy}
                    onClick={() => choose(p.id)}
                    aria-label={`Switch to ${p.name}`}
                  >
                    Switch
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Feedback error={error} notice={notice} />
    </section>
  );
}
