import type { Notice } from '../../state/notices';
import { isStale } from '../../state/notices';

export interface ToastsProps {
  toasts: readonly Notice[];
  e2eeOn: boolean;
  isHost: boolean;
  onDismiss: (id: number) => void;
  onJoinRoom: (index: number) => void;
  /** Pointer or focus on the toasts: they wait (true), or resume going (false). */
  onHold: (held: boolean) => void;
}

/**
 * Transient notices, one per subject, newest at the bottom; each dismisses itself (notices.ts).
 * A toast that no longer matches the meeting's state is not shown.
 */
export function Toasts({ toasts, e2eeOn, isHost, onDismiss, onJoinRoom, onHold }: ToastsProps) {
  const shown = toasts.filter((t) => !isStale(t, { e2eeOn }));
  return (
    <section
      className="toasts"
      aria-label="Notices"
      onMouseEnter={() => onHold(true)}
      onMouseLeave={() => onHold(false)}
      onFocus={() => onHold(true)}
      onBlur={() => onHold(false)}
    >
      {shown.map((t) => (
        <div
          key={t.id}
          className={`toast ${t.tone}`}
          role={t.tone === 'warning' ? 'alert' : 'status'}
          data-testid="toast"
          data-subject={t.subject}
        >
          <span className="toast-text">{t.text}</span>
          {t.joinRoom && isHost && (
            <button
              className="button small"
              onClick={() => {
                onDismiss(t.id);
                onJoinRoom(t.joinRoom!.index);
              }}
            >
              Join {t.joinRoom.name}
            </button>
          )}
          <button
            className="icon-button toast-close"
            aria-label="Dismiss notice"
            onClick={() => onDismiss(t.id)}
          >
            ×
          </button>
        </div>
      ))}
    </section>
  );
}

/** The notifications panel: every notice of this meeting, newest first. */
export function NotificationsPanel(props: { history: readonly Notice[]; onClose: () => void }) {
  return (
    <aside className="panel" aria-label="Notifications">
      <header className="panel-header">
        <h2>Notifications</h2>
        <button className="icon-button" aria-label="Close notifications" onClick={props.onClose}>
          ×
        </button>
      </header>
      {props.history.length === 0 ? (
        <p className="muted">Nothing yet.</p>
      ) : (
        <ol className="notice-history" data-testid="notice-history">
          {props.history.map((n) => (
            <li key={n.id} className={n.tone}>
              <time dateTime={new Date(n.at).toISOString()}>
                {new Date(n.at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}
              </time>{' '}
              {n.text}
            </li>
          ))}
        </ol>
      )}
    </aside>
  );
}
