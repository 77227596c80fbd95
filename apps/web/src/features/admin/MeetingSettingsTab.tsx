import type { UnsupportedClientPolicy } from '@conclave/protocol';
import { api } from '../../app/api';
import { Feedback } from '../../components/Field';
import { useAdminData } from './useAdminData';

const POLICIES: { id: UnsupportedClientPolicy; label: string }[] = [
  { id: 'downgrade', label: 'Turn end-to-end encryption off and tell everyone (default)' },
  { id: 'hold', label: 'Keep them waiting until the host decides' },
  { id: 'refuse', label: 'Refuse them' },
];

/** Account-wide meeting settings; "Allow end-to-end encryption" only on plans that include it. */
export function MeetingSettingsTab() {
  const { data, error, busy, act, notice } = useAdminData(api.meetingSettings);
  if (!data) return <Feedback error={error} notice={undefined} />;
  const save = (patch: Parameters<typeof api.setMeetingSettings>[0], done: string) =>
    void act(() => api.setMeetingSettings(patch), done);
  return (
    <section aria-labelledby="settings-title" className="stack">
      <h2 id="settings-title">Meeting settings</h2>
      <fieldset className="stack">
        <legend>End-to-end encryption</legend>
        <label className="check">
          <input
            type="checkbox"
            checked={data.allowE2ee}
            disabled={busy || !data.planIncludesE2ee}
            onChange={(e) =>
              save(
                { allowE2ee: e.target.checked },
                e.target.checked
                  ? 'Hosts can now turn on end-to-end encryption.'
                  : 'End-to-end encryption can no longer be turned on.',
              )
            }
          />
          Allow end-to-end encryption
        </label>
        {!data.planIncludesE2ee && (
          <p className="warning" role="note" data-testid="e2ee-plan-note">
            End-to-end encryption is not included in your plan. Switch to Pro, Business or
            Enterprise to allow it.
          </p>
        )}
        <label>
          When someone joins an end-to-end encrypted meeting from a client that cannot take part
          <select
            value={data.unsupportedClientPolicy}
            disabled={busy}
            onChange={(e) =>
              save({ unsupportedClientPolicy: e.target.value as UnsupportedClientPolicy }, 'Saved.')
            }
          >
            {POLICIES.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
          </select>
        </label>
      </fieldset>
      <label className="check">
        <input
          type="checkbox"
          checked={data.waitingRoomByDefault}
          disabled={busy}
          onChange={(e) => save({ waitingRoomByDefault: e.target.checked }, 'Saved.')}
        />
        Waiting room on by default
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={data.passcodeRequired}
          disabled={busy}
          onChange={(e) => save({ passcodeRequired: e.target.checked }, 'Saved.')}
        />
        Every meeting needs a passcode
      </label>
      <Feedback error={error} notice={notice} />
    </section>
  );
}
