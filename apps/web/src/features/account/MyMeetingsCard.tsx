import { formatMeetingId, generatePasscode } from '@conclave/protocol';
import { useCallback, useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../../app/api';
import type { MyMeeting } from '../../app/api';
import { saveHostKey } from '../../state/host-keys';
import { CohostsEditor } from './CohostsEditor';

/** The signed-in user's meetings (owned or co-hosted), and a form to schedule one. */
export function MyMeetingsCard() {
  const navigate = useNavigate();
  const [when, setWhen] = useState<'upcoming' | 'past'>('upcoming');
  const [meetings, setMeetings] = useState<MyMeeting[]>();
  const [title, setTitle] = useState('');
  const [startsAt, setStartsAt] = useState('');
  const [passcode, setPasscode] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [editing, setEditing] = useState<string>();

  const load = useCallback(() => {
    api.myMeetings(when).then(
      (r) => setMeetings(r.meetings),
      (err: unknown) => setError((err as Error).message),
    );
  }, [when]);
  useEffect(load, [load]);

  async function create(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const created = await api.createMyMeeting({
        ...(title.trim() ? { title: title.trim() } : {}),
        ...(startsAt ? { startsAt: new Date(startsAt).toISOString() } : {}),
        ...(passcode ? { passcode } : {}),
      });
      saveHostKey(created.meetingId, created.hostKey);
      if (!startsAt) void navigate(`/m/${created.meetingId}`);
      else {
        setTitle('');
        setStartsAt('');
        setPasscode('');
        load();
      }
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card wide" aria-labelledby="meetings-title">
      <h2 id="meetings-title">My meetings</h2>
      <form className="row wrap" onSubmit={create} aria-label="New meeting">
        <label>
          Title
          <input value={title} onChange={(e) => setTitle(e.target.value)} maxLength={200} />
        </label>
        <label>
          Starts (leave empty to start now)
          <input
            type="datetime-local"
            value={startsAt}
            onChange={(e) => setStartsAt(e.target.value)}
          />
        </label>
        <label>
          Passcode (at least 6 letters or digits)
          <input
            value={passcode}
            onChange={(e) => setPasscode(e.target.value)}
            maxLength={32}
            pattern="([A-Za-z0-9]{6,})?"
            title="At least 6 letters or digits"
          />
        </label>
        <button
          type="button"
          className="button secondary small"
          onClick={() => setPasscode(generatePasscode())}
        >
          Generate a passcode
        </button>
        <button className="button" disabled={busy}>
          {startsAt ? 'Schedule meeting' : 'Start a meeting now'}
        </button>
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="row" role="tablist" aria-label="Which meetings">
        {(['upcoming', 'past'] as const).map((w) => (
          <button
            key={w}
            role="tab"
            aria-selected={when === w}
            className={`button small${when === w ? '' : ' secondary'}`}
            onClick={() => setWhen(w)}
          >
            {w === 'upcoming' ? 'Upcoming' : 'Past'}
          </button>
        ))}
      </div>
      {meetings === undefined ? (
        <p aria-busy="true">Loading…</p>
      ) : meetings.length === 0 ? (
        <p className="muted">No {when} meetings.</p>
      ) : (
        <table className="data-table">
          <thead>
            <tr>
              <th>Meeting</th>
              <th>When</th>
              <th>Role</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {meetings.map((m) => (
              <tr key={m.meetingId} data-testid="my-meeting">
                <td>
                  {m.title ?? 'Untitled meeting'}
                  <br />
                  <span className="muted">{formatMeetingId(m.meetingId)}</span>
                </td>
                <td>
                  {m.endedAt
                    ? `Ended ${new Date(m.endedAt).toLocaleString()}`
                    : m.startsAt
                      ? new Date(m.startsAt).toLocaleString()
                      : `Created ${new Date(m.createdAt).toLocaleString()}`}
                </td>
                <td>
                  {m.isOwner ? 'Owner' : 'Co-host'}
                  {m.isOwner && m.cohostUserIds.length > 0
                    ? ` · ${m.cohostUserIds.length} co-host${m.cohostUserIds.length === 1 ? '' : 's'}`
                    : ''}
                  {m.isOwner && !m.endedAt && (
                    <>
                      <br />
                      <button
                        className="button small secondary"
                        aria-expanded={editing === m.meetingId}
                        onClick={() =>
                          setEditing(editing === m.meetingId ? undefined : m.meetingId)
                        }
                      >
                        Co-hosts
                      </button>
                    </>
                  )}
                  {editing === m.meetingId && (
                    <CohostsEditor
                      meeting={m}
                      onSaved={() => {
                        setEditing(undefined);
                        load();
                      }}
                    />
                  )}
                </td>
                <td>
                  {!m.endedAt && (
                    <button
                      className="button small"
                      onClick={() => void navigate(`/m/${m.meetingId}`)}
                    >
                      Start
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
