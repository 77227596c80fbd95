import { useState } from 'react';
import { Link } from 'react-router';
import { PortalLayout } from './PortalLayout';
import { signOut, usePortal, verifyEmail } from './portal-store';

/** `/legal/portal/verify#token=…`: the link from the verification mail. */
export function VerifyEmailPage() {
  const s = usePortal();
  const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
  const [verified, setVerified] = useState(false);
  return (
    <PortalLayout
      title="Verify your email"
      me={s.me}
      error={s.error}
      notice={s.notice}
      onSignOut={() => void signOut()}
    >
      <section className="card stack">
        {verified ? (
          <Link className="button" to="/legal/portal">
            Sign in
          </Link>
        ) : token ? (
          <>
            <p>Confirm that this official address is yours.</p>
            <button
              className="button"
              disabled={s.busy}
              onClick={() => void verifyEmail(token).then(setVerified)}
            >
              Confirm my email address
            </button>
          </>
        ) : (
          <p className="error">This link has no token. Open the link from the email again.</p>
        )}
      </section>
    </PortalLayout>
  );
}
