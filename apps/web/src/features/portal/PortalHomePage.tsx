import { useEffect } from 'react';
import { Navigate, useLocation } from 'react-router';
import { Loading, PortalLayout } from './PortalLayout';
import { RequestList } from './RequestList';
import { SignInForm } from './SignInForm';
import { loadMe, loadRequests, signIn, signOut, usePortal } from './portal-store';

/** `/legal/portal`: sign in, or the signed-in agency's requests. */
export function PortalHomePage() {
  const s = usePortal();
  useEffect(() => {
    if (s.me === undefined) void loadMe();
  }, [s.me]);
  const verified = s.me?.verified === true;
  // Keyed on the navigation, so following "My requests" from the list reloads it.
  const { key } = useLocation();
  useEffect(() => {
    if (verified) void loadRequests();
  }, [verified, key]);
  if (s.me === undefined) return <Loading />;
  if (s.me && !s.me.verified) return <Navigate to="/legal/portal/setup" replace />;
  return (
    <PortalLayout
      title={s.me ? 'My requests' : 'Government requests for user data'}
      me={s.me}
      error={s.error}
      notice={s.notice}
      onSignOut={() => void signOut()}
    >
      {s.me ? (
        <RequestList requests={s.requests} />
      ) : (
        <div className="cards">
          <SignInForm busy={s.busy} onSignIn={signIn} />
          <section className="card">
            <h2>The only way in</h2>
            <p>
              Requests for user data are accepted only here, from verified officials of agencies on
              our list: official email, two-factor authentication and a signed attestation. We
              review every request, challenge those that are overbroad or lack a legal basis, and
              notify affected users unless a valid order or a narrow exception prevents it.
            </p>
          </section>
        </div>
      )}
    </PortalLayout>
  );
}
