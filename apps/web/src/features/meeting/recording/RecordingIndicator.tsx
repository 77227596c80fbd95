import type { RecordingState } from '@conclave/protocol';

/** The red "Recording" pill everyone sees while the meeting is recorded, saying by whom. */
export function RecordingIndicator({ state }: { state: RecordingState | undefined }) {
  if (!state) return null;
  const local = state.local.map((p) => p.name);
  return (
    <>
      {state.cloud.on && (
        <span
          className="recording-indicator"
          role="status"
          data-testid="recording-indicator"
          title="The server records this meeting's audio, video and shared screens."
        >
          ● Recording
          {state.cloud.startedBy ? ` (started by ${state.cloud.startedBy.name})` : ''}
        </span>
      )}
      {local.length > 0 && (
        <span
          className="recording-indicator"
          role="status"
          data-testid="local-recording-indicator"
          title="Recorded on their own device; the server does not receive it."
        >
          ● {local.join(', ')} {local.length === 1 ? 'is' : 'are'} recording on their device
        </span>
      )}
    </>
  );
}

/** What a recording notice was acknowledged for: a new recording or recorder asks again. */
export function recordingKey(state: RecordingState | undefined): string {
  if (!state) return '';
  const parts = state.local.map((p) => `local:${p.id}`);
  if (state.cloud.on) parts.push(`cloud:${state.cloud.startedAt ?? 0}`);
  return parts.sort().join('|');
}

/**
 * On joining (or when recording starts) everyone is told the meeting is recorded and either
 * continues or leaves.
 */
export function RecordingNotice({
  state,
  onContinue,
  onLeave,
}: {
  state: RecordingState;
  onContinue: () => void;
  onLeave: () => void;
}) {
  const who = [
    ...(state.cloud.on
      ? [
          `The meeting is being recorded by the service${state.cloud.startedBy ? ` (started by ${state.cloud.startedBy.name})` : ''}. The host and the account's admins can watch and download the recording.`,
        ]
      : []),
    ...state.local.map(
      (p) => `${p.name} is recording the meeting on their device. The service does not receive it.`,
    ),
  ];
  return (
    <div className="modal-backdrop">
      <div
        className="modal"
        role="dialog"
        aria-modal="true"
        aria-labelledby="recording-notice-title"
        data-testid="recording-notice"
      >
        <h2 id="recording-notice-title">This meeting is being recorded</h2>
        {who.map((line) => (
          <p key={line}>{line}</p>
        ))}
        <p>By staying in the meeting you agree to being recorded.</p>
        <div className="row">
          <button className="button" onClick={onContinue} autoFocus>
            Continue
          </button>
          <button className="button secondary" onClick={onLeave}>
            Leave meeting
          </button>
        </div>
      </div>
    </div>
  );
}
