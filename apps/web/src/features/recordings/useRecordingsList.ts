import type { RecordingView } from '@conclave/protocol';
import { useEffect, useState } from 'react';

const REFRESH_MS = 3000;

/**
 * A list of recordings that refreshes by itself while one is still recording or being composed,
 * so "Preparing…" turns into Play/Download without reloading the page.
 */
export function useRecordingsList(fetch: () => Promise<{ recordings: RecordingView[] }>) {
  const [recordings, setRecordings] = useState<RecordingView[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let stop = false;
    let timer: number | undefined;
    const load = () =>
      fetch().then(
        (r) => {
          if (stop) return;
          setRecordings(r.recordings);
          setError(undefined);
          if (r.recordings.some((x) => x.status === 'composing' || x.status === 'recording'))
            timer = window.setTimeout(load, REFRESH_MS);
        },
        (err: unknown) => {
          if (!stop) setError((err as Error).message);
        },
      );
    void load();
    return () => {
      stop = true;
      window.clearTimeout(timer);
    };
  }, [fetch]);
  const removed = (id: string) => setRecordings((list) => list?.filter((r) => r.id !== id));
  return { recordings, error, removed };
}
