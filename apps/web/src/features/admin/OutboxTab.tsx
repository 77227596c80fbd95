import { api } from '../../app/api';
import type { OutboxMessage } from '../../app/api';

/** Where a message stands: never tried, failing and retried, or given up. */
export function deliveryText(m: OutboxMessage): string {
  if (m.attempts === 0) return 'Not sent: no SMTP server is configured, or it is about to be sent.';
  const tries = `${m.attempts} attempt${m.attempts === 1 ? '' : 's'}`;
  const why = m.lastError ? ` (last error: ${m.lastError})` : '';
  return m.nextAttemptAt
    ? `Delivery failed after ${tries}${why}; next attempt ${new Date(m.nextAttemptAt).toLocaleString()}.`
    : `Gave up after ${tries}${why}. Forward it by hand if it still matters.`;
}
import { Feedback } from '../../components/Field';
import { useAdminData } from './useAdminData';

/** Mail not delivered yet: all of it without SMTP; with SMTP, mail waiting for a retry or given up. */
export function OutboxTab() {
  const { data, error } = useAdminData(api.outbox);
  return (
    <section aria-labelledby="outbox-title" className="stack">
      <h2 id="outbox-title">Outbox</h2>
      <p className="muted">
        No SMTP server is configured, or mail could not be sent: messages wait here. Their text is
        shown only to their recipient, because invitation and password-reset links are credentials.
        The server operator can print a waiting message with{' '}
        <code>conclave mail show --to &lt;email&gt;</code> and forward it.
      </p>
      <Feedback error={error} notice={undefined} />
      {data?.messages.length === 0 && <p>The outbox is empty.</p>}
      {data?.messages.map((m) => (
        <article key={m.id} className="mail" data-testid="outbox-message">
          <h3>{m.subject}</h3>
          <p className="muted">
            To {m.to} · {new Date(m.createdAt).toLocaleString()}
          </p>
          <p className={m.attempts > 0 ? 'warning' : 'muted'} data-testid="outbox-delivery">
            {deliveryText(m)}
          </p>
          {m.body !== null && <pre>{m.body}</pre>}
        </article>
      ))}
    </section>
  );
}
