import type { AccountMeetingSettings, UnsupportedClientPolicy } from '@conclave/protocol';
import { useState } from 'react';
import { api } from '../../app/api';
import { Feedback } from '../../components/Field';
import { SaveBar } from './SaveBar';
import { useAdminData } from './useAdminData';

const POLICIES: { id: UnsupportedClientPolicy; label: string }[] = [
  { id: 'downgrade', label: 'Turn end-to-end encryption off and tell everyone (default)' },
  { id: 'hold', label: 'Keep them waiting until the host decides' },
  { id: 'refuse', label: 'Refuse them' },
];

/**
 * Account-wide meeting settings, changed in a form and saved with Save; "Allow end-to-end
 * encryption" only on plans that include it.
 */
export function MeetingSettingsTab() {
  const { data, error, busy, act, notice } = useAdminData(api.meetingSettings);
  const [draft, setDraft] = useState<Partial<AccountMeetingSettings>>({});
  if (!data) return <Feedback error={error} notice={undefined} />;
  const value = { ...data, ...draft };
  const changed = (Object.keys(draft) as (keyof AccountMeetingSettings)[]).filter(
    (k) => draft[k] !== data[k],
  );
  const set = (patch: Partial<AccountMeetingSettings>) => setDraft({ ...draft, ...patch });
  const save = () => {
    if (changed.length === 0) return;
    const patch = Object.fromEntries(changed.map((k) => [k, draft[k]]));
    const done =
      changed.length === 1 && changed[0] === 'allowE2ee'
        ? draft.allowE2ee
          ? 'Hosts can now turn on end-to-end encryption.'
          : 'End-to-end encryption can no longer be turned on.'
        : 'Saved.';
    void act(() => api.setMeetingSettings(patch), done).then((ok) => ok && setDraft({}));
  };
  return (
    <form
      aria-labelledby="settings-title"
      className="stack settings-form"
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <h2 id="settings-title">Meeting settings</h2>
      <fieldset className="stack">
        <legend>End-to-end encryption</legend>
        <label className="check">
          <input
            type="checkbox"
            checked={value.allowE2ee}
            disabled={busy || !data.planIncludesE2ee}
            onChange={(e) => set({ allowE2ee: e.target.checked })}
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
            value={value.unsupportedClientPolicy}
            disabled={busy}
            onChange={(e) =>
              set({ unsupportedClientPolicy: e.target.value as UnsupportedClientPolicy })
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
      <fieldset className="stack">
        <legend>Joining</legend>
        <label className="check">
          <input
            type="checkbox"
            checked={value.waitingRoomByDefault}
            disabled={busy}
            onChange={(e) => set({ waitingRoomByDefault: e.target.checked })}
          />
          Waiting room on by default
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={value.passcodeRequired}
            disabled={busy}
            onChange={(e) => set({ passcodeRequired: e.target.checked })}
          />
          Every meeting needs a passcode
        </label>
      </fieldset>
      <SaveBar dirty={changed.length > 0} busy={busy} error={error} notice={notice} />
    </form>
  );
}
