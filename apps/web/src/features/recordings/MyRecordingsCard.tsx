import type { RecordingView } from '@conclave/protocol';
import { useEffect, useState } from 'react';
import { RecordingsTable } from './RecordingsTable';
import { recordingsApi } from './recordings-api';

/** Cloud recordings of the meetings this user hosts; refreshes while one is being prepared. */
export function MyRecordingsCard() {
  const [recordings, setRecordings] = useState<RecordingView[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let stop = false;
    let timer: number | undefined;
    const load = () =>
      recordingsApi.mine().then(
        (r) => {
          if (stop) return;
          setRecordings(r.recordings);
          if (r.recordings.some((x) => x.status === 'composing' || x.status === 'recording'))
            timer = window.setTimeout(load, 3000);
        },
        (err: unknown) => setError((err as Error).message),
      );
    void load();
    return () => {
      stop = true;
      window.clearTimeout(timer);
    };
  }, []);
  if (!recordings && !error) return null;
  return (
    <section className="card wide" aria-labelledby="recordings-title">
      <h2 id="recordings-title">Recordings</h2>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {recordings && (
        <RecordingsTable
          recordings={recordings}
          onDeleted={(id) => setRecordings(recordings.filter((r) => r.id !== id))}
        />
      )}
    </section>
  );
}
