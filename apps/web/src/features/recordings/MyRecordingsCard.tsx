import { RecordingsTable } from './RecordingsTable';
import { recordingsApi } from './recordings-api';
import { useRecordingsList } from './useRecordingsList';

/** Cloud recordings of the meetings this user hosts; refreshes while one is being prepared. */
export function MyRecordingsCard() {
  const { recordings, error, removed } = useRecordingsList(recordingsApi.mine);
  if (!recordings && !error) return null;
  return (
    <section className="card wide" aria-labelledby="recordings-title">
      <h2 id="recordings-title">Recordings</h2>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {recordings && <RecordingsTable recordings={recordings} onDeleted={removed} />}
    </section>
  );
}
