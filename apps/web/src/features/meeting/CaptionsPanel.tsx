import type { CaptionsState, ParticipantId } from '@conclave/protocol';
import { useState } from 'react';

export interface CaptionsPanelProps {
  state: CaptionsState | undefined;
  selfId: ParticipantId | undefined;
  isHost: boolean;
  /** Why captions cannot be used right now (E2EE on). */
  disabledReason: string | undefined;
  onStart: (language: string) => Promise<void>;
  onStop: () => Promise<void>;
  onDownloadTranscript: () => Promise<void>;
  onClose: () => void;
}

const languageName = (tag: string): string => {
  try {
    return new Intl.DisplayNames(['en'], { type: 'language' }).of(tag) ?? tag;
  } catch {
    return tag;
  }
};

/** Live captions: on/off, language, and (host) the transcript download. */
export function CaptionsPanel(props: CaptionsPanelProps) {
  const { state } = props;
  const languages = state?.languages ?? [];
  const [language, setLanguage] = useState(state?.language ?? languages[0] ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const mayChange = state?.on ? props.isHost || state.startedBy?.id === props.selfId : true;

  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await fn();
    } catch (err) {
      setError(err instanceof Error ? err.message : 'That did not work.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <aside className="panel captions-panel" aria-label="Live captions">
      <header className="panel-header">
        <h2>Live captions</h2>
        <button className="icon-button" aria-label="Close captions" onClick={props.onClose}>
          ×
        </button>
      </header>
      <p className="muted">
        Captions are made on the server: while they are on, the server processes everyone&apos;s
        audio, and everyone sees that captions are on. The transcript is kept only while the meeting
        runs.
      </p>
      {props.disabledReason ? (
        <p className="warning" role="note">
          {props.disabledReason}
        </p>
      ) : state && !state.available ? (
        <p className="warning" role="note">
          {state.unavailableReason}
        </p>
      ) : (
        <>
          <label>
            Language
            <select
              value={language}
              disabled={!mayChange || busy}
              onChange={(e) => {
                setLanguage(e.target.value);
                if (state?.on) void run(() => props.onStart(e.target.value));
              }}
            >
              {languages.map((l) => (
                <option key={l} value={l}>
                  {languageName(l)}
                </option>
              ))}
            </select>
          </label>
          {state?.on ? (
            <button
              className="button"
              disabled={!mayChange || busy}
              title={mayChange ? undefined : 'Only the host or who turned captions on can.'}
              onClick={() => void run(props.onStop)}
            >
              Turn off captions
            </button>
          ) : (
            <button
              className="button"
              disabled={busy || !language}
              onClick={() => void run(() => props.onStart(language))}
            >
              Turn on captions
            </button>
          )}
        </>
      )}
      {props.isHost && (
        <button className="button secondary" onClick={() => void run(props.onDownloadTranscript)}>
          Download transcript
        </button>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </aside>
  );
}
