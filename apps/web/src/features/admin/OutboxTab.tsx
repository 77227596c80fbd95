import { api } from '../../app/api';
import { Feedback, useAdminData } from './useAdminData';

/** Mail not delivered yet: all of it without SMTP; with SMTP, mail waiting for a retry or given up. */
export function OutboxTab() {
  const { data, error } = useAdminData(api.outbox);
  return (
    <section aria-labelledby="outbox-title" className="stack">
      <h2 id="outbox-title">Outbox</h2>
      <p className="muted">
        No SMTP server is configured, or mail could not be sent: messages wait here. Forward an
        invitation link by hand if needed.
      </p>
      <Feedback error={error} notice={undefined} />
      {data?.messages.length === 0 && <p>The outbox is empty.</p>}
      {data?.messages.map((m) => (
        <article key={m.id} className="mail" data-testid="outbox-message">
          <h3>{m.subject}</h3>
          <p className="muted">
            To {m.to} · {new Date(m.createdAt).toLocaleString()}
          </p>
          <pre>{m.body}</pre>
        </article>
      ))}
    </section>
  );
}
