import { Link, Navigate, useNavigate } from 'react-router';
import { isAccountAdmin, signOut, useSession } from '../../state/session';
import { MyMeetingsCard } from './MyMeetingsCard';
import { MyRecordingsCard } from '../recordings/MyRecordingsCard';
import { NoticesCard } from './NoticesCard';
import { TwoFactorCard } from './TwoFactorCard';

/** A signed-in user's home: their meetings, two-factor sign-in, signing out. */
export function AccountPage() {
  const session = useSession();
  const navigate = useNavigate();
  if (session.status === 'loading')
    return (
      <main className="screen center" aria-busy="true">
        <p>Loading…</p>
      </main>
    );
  if (session.status !== 'signed-in') return <Navigate to="/signin" replace />;
  const { me } = session;
  const leave = (everywhere: boolean) => void signOut(everywhere).then(() => navigate('/signin'));
  return (
    <main className="screen account">
      <header className="page-header">
        <h1>{me.account.name}</h1>
        <p>
          Signed in as <strong data-testid="signed-in-as">{me.user.email}</strong> ({me.user.role})
        </p>
        <nav className="row" aria-label="Account">
          <Link className="button secondary small" to="/">
            Home
          </Link>
          {isAccountAdmin(me) && (
            <Link className="button secondary small" to="/admin">
              Admin console
            </Link>
          )}
          {(me.user.role === 'legal_reviewer' || me.user.role === 'legal_admin') && (
            <Link className="button secondary small" to="/legal">
              Legal console
            </Link>
          )}
          <button className="button secondary small" onClick={() => leave(false)}>
            Sign out
          </button>
          <button className="button secondary small" onClick={() => leave(true)}>
            Sign out everywhere
          </button>
        </nav>
      </header>
      <div className="cards">
        {!me.mustEnrollTwoFactor && <NoticesCard />}
        {!me.mustEnrollTwoFactor && <MyMeetingsCard />}
        {!me.mustEnrollTwoFactor && <MyRecordingsCard />}
        <TwoFactorCard me={me} />
      </div>
    </main>
  );
}
