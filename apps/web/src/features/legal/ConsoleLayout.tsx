import type { ReactNode } from 'react';
import { Link, Navigate } from 'react-router';
import { Feedback } from '../../components/Field';
import { useSession } from '../../state/session';
import { LEGAL_NEEDS_2FA, LEGAL_TEAM_ONLY } from './console-store';

const LEGAL_ROLES = ['legal_reviewer', 'legal_admin'];

/**
 * The console's frame: only for legal reviewers and admins (the server decides; this only spares
 * others a page of errors), with the standing note about what the console never shows.
 */
export function ConsoleLayout(p: {
  title: string;
  denied: string | undefined;
  error: string | undefined;
  notice: string | undefined;
  children: ReactNode;
}) {
  const session = useSession();
  if (session.status === 'loading')
    return (
      <main className="screen center" aria-busy="true">
        <p>Loading…</p>
      </main>
    );
  if (session.status !== 'signed-in') return <Navigate to="/signin" replace />;
  const allowed = LEGAL_ROLES.includes(session.me.user.role);
  const needsTwoFactor = allowed && !session.me.user.twoFactorEnabled;
  return (
    <main className="screen admin legal">
      <header className="page-header">
        <h1>{p.title}</h1>
        <nav className="row" aria-label="Legal console">
          <Link className="button secondary small" to="/legal">
            Queue
          </Link>
          <Link className="button secondary small" to="/legal/reports">
            Transparency reports
          </Link>
          <Link className="button secondary small" to="/account">
            My account
          </Link>
        </nav>
        <p className="banner info" data-testid="content-note">
          Meeting content is never shown here: audio, video and screen shares are not recorded, and
          end-to-end encrypted content is not held by the service, which cannot read it.
        </p>
      </header>
      {needsTwoFactor ? (
        <section className="card" role="alert">
          <h2>Two-factor sign-in required</h2>
          <p>{LEGAL_NEEDS_2FA}</p>
          <Link className="button" to="/account">
            Set up two-factor sign-in
          </Link>
        </section>
      ) : !allowed || p.denied ? (
        <section className="card" role="alert">
          <h2>Legal team only</h2>
          <p>{p.denied ?? LEGAL_TEAM_ONLY}</p>
        </section>
      ) : (
        <>
          <Feedback error={p.error} notice={p.notice} />
          {p.children}
        </>
      )}
    </main>
  );
}
