import { useCallback, useEffect, useState } from 'react';

/** Loads data for an admin tab and runs its actions, with busy state and a readable error. */
export function useAdminData<T>(load: () => Promise<T>) {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const reload = useCallback(() => {
    load().then(setData, (err: unknown) => setError((err as Error).message));
  }, [load]);
  useEffect(reload, [reload]);
  const act = async (fn: () => Promise<T | void>, done?: string): Promise<boolean> => {
    setBusy(true);
    setError(undefined);
    try {
      const result = await fn();
      if (result !== undefined) setData(result);
      if (done) setNotice(done);
      return true;
    } catch (err) {
      setError(err instanceof Error ? err.message : 'That did not work.');
      return false;
    } finally {
      setBusy(false);
    }
  };
  const [notice, setNotice] = useState<string>();
  return { data, setData, error, busy, act, reload, notice };
}
