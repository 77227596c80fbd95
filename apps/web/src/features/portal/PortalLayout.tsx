import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { RequesterMe } from '@conclave/protocol';
import { Feedback } from '../../components/Field';

/** The portal's frame: who is signed in, where to go, and the last action's outcome. */
export function PortalLayout(p: {
  title: string;
  me: RequesterMe | null | undefined;
  error: string | undefined;
  notice: string | undefined;
  onSignOut: () => void;
  children: ReactNode;
}) {
  return (
    <main className="screen portal">
      <header className="page-header">
        <p className="muted">Conclave · Law-enforcement request portal</p>
        <h1>{p.title}</h1>
        {p.me && (
          <nav className="row" aria-label="Portal">
            <span>
              Signed in as <strong data-testid="requester-email">{p.me.email}</strong> (
              {p.me.agency.name})
            </span>
            {p.me.verified && (
              <>
                <Link className="button secondary small" to="/legal/portal">
                  My requests
                </Link>
                <Link className="button secondary small" to="/legal/portal/new">
                  New request
                </Link>
              </>
            )}
            <button className="button secondary small" onClick={p.onSignOut}>
              Sign out
            </button>
          </nav>
        )}
      </header>
      <Feedback error={p.error} notice={p.notice} />
      {p.children}
    </main>
  );
}

export function Loading() {
  return (
    <main className="screen center" aria-busy="true">
      <p>Loading…</p>
    </main>
  );
}
