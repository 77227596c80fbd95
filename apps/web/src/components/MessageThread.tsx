import { useState } from 'react';
import type { FormEvent } from 'react';
import { utc } from '../app/legal-labels';
import type { MessageView } from '@conclave/protocol';

/** Messages between the requester and the legal team about one request. */
export function MessageThread(p: {
  messages: MessageView[];
  /** Who "we" are, to label each message. */
  self: 'requester' | 'reviewer';
  canSend: boolean;
  busy: boolean;
  onSend: (body: string) => Promise<boolean>;
}) {
  const [body, setBody] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!body.trim()) return;
    void p.onSend(body).then((ok) => ok && setBody(''));
  };
  const who = (m: MessageView) =>
    m.authorKind === p.self ? 'You' : m.authorKind === 'reviewer' ? 'Legal team' : 'Requester';
  return (
    <section className="card wide stack" aria-labelledby="messages-title">
      <h2 id="messages-title">Messages</h2>
      {p.messages.length === 0 ? (
        <p className="muted">No messages yet.</p>
      ) : (
        <ul className="chat-list" aria-label="Messages">
          {p.messages.map((m) => (
            <li key={m.id} data-testid="message">
              <div className="chat-meta">
                {who(m)} · {utc(m.createdAt)}
              </div>
              <div className="chat-text prewrap">{m.body}</div>
            </li>
          ))}
        </ul>
      )}
      {p.canSend && (
        <form className="stack" onSubmit={submit}>
          <label>
            Your message
            <textarea value={body} onChange={(e) => setBody(e.target.value)} maxLength={10_000} />
          </label>
          <button className="button" disabled={p.busy || !body.trim()}>
            Send message
          </button>
        </form>
      )}
    </section>
  );
}
