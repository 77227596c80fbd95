import type { RetentionDays } from '@conclave/protocol';
import { RETENTION_CHOICES } from '@conclave/protocol';
import { Feedback } from '../../components/Field';
import { useAdminData } from '../admin/useAdminData';
import { RecordingsTable } from './RecordingsTable';
import { recordingsApi } from './recordings-api';
import { useRecordingsList } from './useRecordingsList';

const label = (d: RetentionDays) => (d === null ? 'Until deleted' : `${d} days`);

/** Admin: allow cloud recording, how long recordings are kept, and every recording of the account. */
export function RecordingsTab() {
  const { data, error, busy, act, notice } = useAdminData(recordingsApi.settings);
  const list = useRecordingsList(recordingsApi.account);
  if (!data) return <Feedback error={error} notice={undefined} />;
  return (
    <section aria-labelledby="recordings-admin-title" className="stack">
      <h2 id="recordings-admin-title">Recordings</h2>
      <label className="check">
        <input
          type="checkbox"
          checked={data.allowCloudRecording}
          disabled={busy || !data.planIncludesCloudRecording}
          onChange={(e) =>
            void act(
              () => recordingsApi.saveSettings({ allowCloudRecording: e.target.checked }),
              e.target.checked
                ? 'Hosts can now record meetings to the cloud (not end-to-end encrypted ones).'
                : 'Cloud recording is off for new recordings.',
            )
          }
        />
        Allow cloud recording
      </label>
      {!data.planIncludesCloudRecording && (
        <p className="warning" role="note">
          Cloud recording is not included in your plan. Switch to Pro, Business or Enterprise.
        </p>
      )}
      <label>
        Keep recordings for
        <select
          value={String(data.retentionDays)}
          disabled={busy}
          onChange={(e) =>
            void act(
              () =>
                recordingsApi.saveSettings({
                  retentionDays:
                    e.target.value === 'null' ? null : (Number(e.target.value) as RetentionDays),
                }),
              'Saved. Recordings past this period are deleted automatically (and the deletion is recorded in History), unless a legal preservation request holds them.',
            )
          }
        >
          {RETENTION_CHOICES.map((d) => (
            <option key={String(d)} value={String(d)}>
              {label(d)}
            </option>
          ))}
        </select>
      </label>
      <p>
        {data.planIncludesCloudTranscripts
          ? 'Your plan saves the live-captions transcript with each cloud recording (same retention).'
          : 'Your plan does not save captions transcripts with recordings.'}{' '}
        Recordings are encrypted at rest. Meetings with end-to-end encryption cannot be recorded to
        the cloud; participants may record on their own devices, and the service never receives
        those files.
      </p>
      <Feedback error={error} notice={notice} />
      <h3>All recordings of the account</h3>
      {list.error && (
        <p className="error" role="alert">
          {list.error}
        </p>
      )}
      {list.recordings && <RecordingsTable recordings={list.recordings} onDeleted={list.removed} />}
    </section>
  );
}
