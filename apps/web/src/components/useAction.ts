import { useCallback, useState } from 'react';

/**
 * Runs a user action with a busy flag and a readable error: the one pattern behind every form
 * and button that calls the server, so none of them can fail silently.
 */
export function useAction() {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const run = useCallback(async (fn: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setError(undefined);
    try {
      await fn();
      return true;
    } catch (err) {
      setError(err instanceof Error ? err.message : 'That did not work.');
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { error, busy, run };
}
