import { useEffect, useState } from 'react';
import { api } from '../../app/api';
import type { UserNotice } from '../../app/api';

/**
 * In-app notices to the signed-in user, such as a government request about their account.
 * Unread ones stand out until the user marks them read.
 */
export function NoticesCard() {
  const [notices, setNotices] = useState<UserNotice[]>([]);
  const [error, setError] = useState<string>();
  const [busyId, setBusyId] = useState<string>();
  useEffect(() => {
    api.myNotices().then(
      (r) => setNotices(r.notices),
      () => undefined,
    );
  }, []);

  async function markRead(id: string) {
    setBusyId(id);
    setError(undefined);
    try {
      const { readAt } = await api.markNoticeRead(id);
      setNotices((list) => list.map((n) => (n.id === id ? { ...n, readAt } : n)));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusyId(undefined);
    }
  }

  if (notices.length === 0) return null;
  const unread = notices.filter((n) => n.readAt === null).length;
  return (
    <section className="card wide" aria-labelledby="notices-title">
      <h2 id="notices-title">Notices{unread > 0 ? ` (${unread} unread)` : ''}</h2>
      <ul className="stack user-notices">
        {notices.map((n) => (
          <li
            key={n.id}
            data-testid="user-notice"
            data-read={n.readAt !== null}
            className={n.readAt === null ? 'unread' : undefined}
          >
            <strong>{n.title}</strong> · {n.createdAt.slice(0, 16).replace('T', ' ')} UTC
            {n.readAt === null && <span className="muted"> · unread</span>}
            <p className="prewrap">{n.body}</p>
            {n.readAt === null && (
              <button
                className="button small secondary"
                disabled={busyId === n.id}
                onClick={() => void markRead(n.id)}
              >
                Mark as read
              </button>
            )}
          </li>
        ))}
      </ul>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
