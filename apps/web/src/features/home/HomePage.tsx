import { formatMeetingId, parseMeetingId, generatePasscode } from '@conclave/protocol';
import type { CreateMeetingResult, GuestPolicy } from '@conclave/protocol';
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { api } from '../../app/api';
import { saveHostKey } from '../../state/host-keys';
import { useSession } from '../../state/session';
import { CopyInviteButton } from '../meeting/CopyInviteButton';

export function HomePage() {
  const navigate = useNavigate();
  const [passcode, setPasscode] = useState('');
  const [joinId, setJoinId] = useState('');
  const [created, setCreated] = useState<CreateMeetingResult>();
  const [error, setError] = useState<string>();
  const [joinError, setJoinError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const session = useSession();
  const [guestPolicy, setGuestPolicy] = useState<GuestPolicy>();
  useEffect(() => {
    // Unknown (server unreachable): show the form; creating then reports the error.
    api.guestPolicy().then(setGuestPolicy, () => undefined);
  }, []);
  const guestCreationOff = guestPolicy?.guestCreation === false;
  const mustSignIn = guestCreationOff && session.status !== 'signed-in';

  async function create(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const body = passcode ? { passcode } : {};
      // A signed-in user's meeting is their account's (its plan and admin decide E2EE); only a
      // visitor without an account makes a guest meeting, when the operator allows them.
      const result = await (session.status === 'signed-in'
        ? api.createMyMeeting(body)
        : api.createMeeting(body));
      saveHostKey(result.meetingId, result.hostKey);
      setCreated(result);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  function join(e: FormEvent) {
    e.preventDefault();
    const id = parseMeetingId(joinId);
    if (!id) {
      setJoinError('A meeting id has 10 or 11 digits.');
      return;
    }
    void navigate(`/m/${id}`);
  }

  return (
    <main className="screen center">
      <nav className="top-links" aria-label="Account">
        {session.status === 'signed-in' ? (
          <Link to="/account">My account ({session.me.user.email})</Link>
        ) : (
          <Link to="/signin">Sign in</Link>
        )}
      </nav>
      <header className="brand">
        <h1>Conclave</h1>
        <p>Private video meetings. Encrypted in transit always; end to end when you choose.</p>
      </header>
      <div className="cards">
        <section className="card" aria-labelledby="create-title">
          <h2 id="create-title">New meeting</h2>
          {created ? (
            <div className="stack">
              <p>
                Meeting id{' '}
                <strong data-testid="created-meeting-id">
                  {formatMeetingId(created.meetingId)}
                </strong>
                {created.requiresPasscode ? ' (passcode required)' : ''}
              </p>
              <p className="invite-link" data-testid="invite-link">
                {created.joinUrl}
              </p>
              <div className="row">
                <CopyInviteButton url={created.joinUrl} />
                <button className="button" onClick={() => void navigate(`/m/${created.meetingId}`)}>
                  Start meeting
                </button>
              </div>
            </div>
          ) : mustSignIn ? (
            <div className="stack" data-testid="guest-creation-off">
              <p>This server creates meetings for signed-in users only.</p>
              <Link className="button" to="/signin">
                Sign in to create a meeting
              </Link>
            </div>
          ) : (
            <form onSubmit={create} className="stack">
              <label>
                Passcode (optional, at least 6 letters or digits)
                <input
                  value={passcode}
                  onChange={(e) => setPasscode(e.target.value)}
                  maxLength={32}
                  pattern="([A-Za-z0-9]{6,})?"
                  title="At least 6 letters or digits"
                  autoComplete="off"
                />
              </label>
              <button
                type="button"
                className="button secondary small"
                onClick={() => setPasscode(generatePasscode())}
              >
                Generate a passcode
              </button>
              <button className="button" type="submit" disabled={busy}>
                {busy ? 'Creating…' : 'Create meeting'}
              </button>
              {error && (
                <p role="alert" className="error">
                  {error}
                </p>
              )}
            </form>
          )}
        </section>
        <section className="card" aria-labelledby="join-title">
          <h2 id="join-title">Join a meeting</h2>
          <form onSubmit={join} className="stack">
            <label>
              Meeting id
              <input
                value={joinId}
                onChange={(e) => setJoinId(e.target.value)}
                inputMode="numeric"
                placeholder="123 4567 8901"
              />
            </label>
            <button className="button" type="submit">
              Join
            </button>
            {joinError && (
              <p role="alert" className="error">
                {joinError}
              </p>
            )}
          </form>
        </section>
      </div>
      <footer className="site-footer">
        <nav aria-label="Trust center" className="row">
          <Link to="/transparency">Transparency reports</Link>
          <Link to="/legal/portal">Requests from authorities (requester portal)</Link>
        </nav>
      </footer>
    </main>
  );
}
