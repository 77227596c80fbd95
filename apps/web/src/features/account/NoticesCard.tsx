import { useEffect, useState } from 'react';
import { api } from '../../app/api';
import type { UserNotice } from '../../app/api';

/** In-app notices to the signed-in user, such as a government request about their account. */
export function NoticesCard() {
  const [notices, setNotices] = useState<UserNotice[]>([]);
  useEffect(() => {
    api.myNotices().then(
      (r) => setNotices(r.notices),
      () => undefined,
    );
  }, []);
  if (notices.length === 0) return null;
  return (
    <section className="card wide" aria-labelledby="notices-title">
      <h2 id="notices-title">Notices</h2>
      <ul className="stack">
        {notices.map((n) => (
          <li key={n.id} data-testid="user-notice">
            <strong>{n.title}</strong> · {n.createdAt.slice(0, 16).replace('T', ' ')} UTC
            <p className="prewrap">{n.body}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}
