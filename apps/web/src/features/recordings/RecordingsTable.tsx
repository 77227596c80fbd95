import { formatMeetingId } from '@conclave/protocol';
import type { RecordingView } from '@conclave/protocol';
import { useState } from 'react';
import { recordingsApi } from './recordings-api';

const KIND_LABEL = { video: 'Video', audio: 'Audio only', transcript: 'Transcript' } as const;

function size(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

function status(r: RecordingView): string {
  const base =
    r.status === 'recording'
      ? 'Recording now'
      : r.status === 'composing'
        ? `Preparing the file… ${r.progress}%`
        : r.status === 'failed'
          ? `Could not be prepared: ${r.error ?? 'unknown error'}`
          : 'Ready';
  return r.interrupted ? `${base} · interrupted (the server stopped; holds what was saved)` : base;
}

/**
 * Recordings with play, download and delete. Deleting asks first and is recorded in the
 * account's history; retention and holds are shown so nobody is surprised by a deletion.
 */
export function RecordingsTable({
  recordings,
  onDeleted,
}: {
  recordings: RecordingView[];
  onDeleted: (id: string) => void;
}) {
  const [playing, setPlaying] = useState<string>();
  const [confirm, setConfirm] = useState<string>();
  const [error, setError] = useState<string>();
  if (recordings.length === 0) return <p>No recordings.</p>;
  const remove = async (id: string) => {
    setError(undefined);
    try {
      await recordingsApi.remove(id);
      setConfirm(undefined);
      onDeleted(id);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <>
      <table className="data-table" aria-label="Recordings">
        <thead>
          <tr>
            <th>Meeting</th>
            <th>Recorded</th>
            <th>Length</th>
            <th>Status</th>
            <th>Kept until</th>
            <th>Files</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {recordings.map((r) => (
            <tr key={r.id} data-testid="recording-row" data-recording-id={r.id}>
              <th scope="row">
                {r.meetingTitle ?? `Meeting ${formatMeetingId(r.meetingId)}`}
                <br />
                <small>started by {r.startedByName}</small>
              </th>
              <td>{new Date(r.startedAt).toLocaleString()}</td>
              <td>
                {r.durationSeconds === null
                  ? '—'
                  : `${Math.floor(r.durationSeconds / 60)} min ${r.durationSeconds % 60} s`}
              </td>
              <td data-testid="recording-status">
                {status(r)}
                {r.stopReason ? <small> · {r.stopReason}</small> : null}
              </td>
              <td>
                {r.held
                  ? 'Held under a legal preservation request'
                  : r.deleteAfter
                    ? new Date(r.deleteAfter).toLocaleDateString()
                    : r.status === 'ready' || r.status === 'failed'
                      ? 'Until deleted'
                      : '—'}
              </td>
              <td>
                {r.files.map((f) => (
                  <div key={f.kind}>
                    <a href={recordingsApi.fileUrl(r.id, f.kind, true)} download>
                      Download {KIND_LABEL[f.kind].toLowerCase()}
                    </a>{' '}
                    <small>({size(f.bytes)})</small>
                  </div>
                ))}
              </td>
              <td className="row">
                {r.files.some((f) => f.kind === 'video') && (
                  <button
                    className="button small secondary"
                    onClick={() => setPlaying(playing === r.id ? undefined : r.id)}
                  >
                    {playing === r.id ? 'Close player' : 'Play'}
                  </button>
                )}
                {confirm === r.id ? (
                  <>
                    <button className="button small danger" onClick={() => void remove(r.id)}>
                      Delete for good
                    </button>
                    <button
                      className="button small secondary"
                      onClick={() => setConfirm(undefined)}
                    >
                      Cancel
                    </button>
                  </>
                ) : (
                  <button
                    className="button small danger"
                    disabled={r.status === 'recording' || r.held}
                    title={r.held ? 'Held under a legal preservation request.' : undefined}
                    onClick={() => setConfirm(r.id)}
                  >
                    Delete
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {playing && (
        <video
          className="recording-player"
          controls
          autoPlay
          src={recordingsApi.fileUrl(playing, 'video')}
          aria-label="Recording player"
        />
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}
