import type { ChatMessage, ChatMode, Participant, ParticipantId } from '@conclave/protocol';
import { MAX_CHAT_TEXT } from '@conclave/protocol';
import { useEffect, useRef, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';

const URL_PATTERN = /https?:\/\/[^\s<>"']+/g;

/** Text with http(s) links made clickable; everything else stays text (React escapes it). */
function linkify(text: string): ReactNode[] {
  const out: ReactNode[] = [];
  let last = 0;
  for (const m of text.matchAll(URL_PATTERN)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    out.push(
      <a key={m.index} href={m[0]} target="_blank" rel="noopener noreferrer nofollow">
        {m[0]}
      </a>,
    );
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

export interface ChatPanelProps {
  messages: ChatMessage[];
  mode: ChatMode;
  participants: Participant[];
  selfId: ParticipantId | undefined;
  isHost: boolean;
  /** The meeting is end-to-end encrypted: messages are sealed on the devices (issue 18). */
  e2ee: boolean;
  /** Why chat cannot be used right now (this device has no key yet), shown instead of the input. */
  disabledReason: string | undefined;
  onSend: (text: string, to: ParticipantId | null) => Promise<void>;
  onSetMode: (mode: ChatMode) => void;
  onClose: () => void;
}

export function ChatPanel(props: ChatPanelProps) {
  const [text, setText] = useState('');
  const [to, setTo] = useState<string>('everyone');
  const [error, setError] = useState<string>();
  const list = useRef<HTMLOListElement>(null);
  const nameOf = (id: ParticipantId | null) =>
    props.participants.find((p) => p.id === id)?.displayName ?? 'someone who left';

  useEffect(() => {
    list.current?.lastElementChild?.scrollIntoView({ block: 'end' });
  }, [props.messages.length]);

  async function send(e: FormEvent) {
    e.preventDefault();
    if (!text.trim()) return;
    try {
      await props.onSend(text, to === 'everyone' ? null : (to as ParticipantId));
      setText('');
      setError(undefined);
    } catch (err) {
      setError(err instanceof Error ? err.message : 'The message was not sent.');
    }
  }

  const canWrite = !props.disabledReason && (props.mode !== 'off' || props.isHost);
  return (
    <aside className="panel chat" aria-label="Chat">
      <header className="panel-header">
        <h2>Chat</h2>
        <button className="icon-button" aria-label="Close chat" onClick={props.onClose}>
          ×
        </button>
      </header>
      {!props.e2ee && props.messages.some((m) => m.e2ee) && (
        <p className="muted" role="note">
          End-to-end encryption is off: messages marked 🔒 were sealed on the devices; new messages
          go through the server, which can read them.
        </p>
      )}
      {props.e2ee && (
        <p className="e2ee-note" data-testid="chat-e2ee">
          <span aria-hidden="true">🔒</span> End-to-end encrypted. Only the people in the meeting
          can read these messages, private ones only their recipient; the server cannot. History
          starts when you joined: messages sent before that are not shown.
        </p>
      )}
      {props.isHost && !props.disabledReason && (
        <label>
          Who can chat
          <select value={props.mode} onChange={(e) => props.onSetMode(e.target.value as ChatMode)}>
            <option value="everyone">Everyone</option>
            <option value="host-only">Only with the host</option>
            <option value="off">Nobody (chat off)</option>
          </select>
        </label>
      )}
      <ol className="chat-list" ref={list} aria-live="polite">
        {props.messages.map((m) => (
          <li key={m.id} className={m.to ? 'private' : undefined} data-testid="chat-message">
            <span className="chat-meta">
              {m.from === props.selfId ? 'You' : m.fromName}
              {m.to ? ` → ${m.to === props.selfId ? 'you' : nameOf(m.to)} (private)` : ''}
              {' · '}
              {new Date(m.sentAt).toLocaleTimeString()}
              {m.e2ee && (
                <span title="End-to-end encrypted" role="img" aria-label="encrypted">
                  {' 🔒'}
                </span>
              )}
            </span>
            <span className="chat-text">{linkify(m.text)}</span>
          </li>
        ))}
      </ol>
      {props.disabledReason ? (
        <p className="warning" role="note">
          {props.disabledReason}
        </p>
      ) : !canWrite ? (
        <p className="warning" role="note">
          The host has turned chat off.
        </p>
      ) : (
        <form onSubmit={(e) => void send(e)} className="stack">
          <label>
            To
            <select value={to} onChange={(e) => setTo(e.target.value)}>
              <option value="everyone">Everyone</option>
              {props.participants
                .filter((p) => p.id !== props.selfId)
                .map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.displayName} (private)
                  </option>
                ))}
            </select>
          </label>
          <label>
            Message
            <textarea
              autoFocus
              value={text}
              onChange={(e) => setText(e.target.value)}
              maxLength={MAX_CHAT_TEXT}
              rows={2}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && !e.shiftKey) {
                  e.preventDefault();
                  void send(e);
                }
              }}
            />
          </label>
          <button className="button" type="submit">
            Send
          </button>
          {error && (
            <p role="alert" className="error">
              {error}
            </p>
          )}
        </form>
      )}
    </aside>
  );
}
