import type { ConnectionState } from '@conclave/client';
import { useEffect, useState } from 'react';

/** Tells the truth about the connection: reconnecting with a countdown, or lost with Retry. */
export function ConnectionBanner({
  state,
  onRetry,
}: {
  state: ConnectionState;
  onRetry: () => void;
}) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (state.status !== 'reconnecting') return;
    const t = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(t);
  }, [state.status]);

  if (state.status === 'reconnecting') {
    const seconds = Math.max(0, Math.ceil((state.nextRetryAt - now) / 1000));
    return (
      <div
        className="banner warning"
        role="status"
        aria-live="polite"
        data-testid="connection-banner"
      >
        Connection lost. Reconnecting {seconds > 0 ? `in ${seconds} s` : 'now'}… (attempt{' '}
        {state.attempt})
      </div>
    );
  }
  if (state.status === 'disconnected') {
    return (
      <div className="banner error" role="alert" data-testid="connection-banner">
        {state.message}{' '}
        <button className="button small" onClick={onRetry}>
          Retry
        </button>
      </div>
    );
  }
  return null;
}
