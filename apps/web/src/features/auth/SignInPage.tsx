import { ConclaveError } from '@conclave/protocol';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { api } from '../../app/api';
import { signedIn } from '../../state/session';

/** Email and password, then a 6-digit code (or a recovery code) when the user has 2FA. */
export function SignInPage() {
  const navigate = useNavigate();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [needsCode, setNeedsCode] = useState(false);
  const [useRecovery, setUseRecovery] = useState(false);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const me = await api.login({
        email,
        password,
        ...(needsCode && code ? (useRecovery ? { recoveryCode: code } : { totpCode: code }) : {}),
      });
      signedIn(me);
      void navigate(me.mustEnrollTwoFactor ? '/account?enroll=1' : '/account');
    } catch (err) {
      if (err instanceof ConclaveError && err.code === 'TWO_FACTOR_REQUIRED') {
        setNeedsCode(true);
        setError(undefined);
      } else setError(err instanceof Error ? err.message : 'Sign-in failed.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="screen center">
      <section className="card" aria-labelledby="signin-title">
        <h1 id="signin-title">Sign in to Conclave</h1>
        <form className="stack" onSubmit={submit}>
          {!needsCode ? (
            <>
              <label>
                Email
                <input
                  type="email"
                  autoComplete="username"
                  value={email}
                  onChange={(e) => setEmail(e.target.value)}
                  required
                />
              </label>
              <label>
                Password
                <input
                  type="password"
                  autoComplete="current-password"
                  value={password}
                  onChange={(e) => setPassword(e.target.value)}
                  required
                />
              </label>
            </>
          ) : (
            <>
              <p>Two-factor authentication is on for this account.</p>
              <label>
                {useRecovery ? 'Recovery code' : 'Authentication code'}
                <input
                  inputMode={useRecovery ? 'text' : 'numeric'}
                  autoComplete="one-time-code"
                  value={code}
                  onChange={(e) => setCode(e.target.value.trim())}
                  required
                  autoFocus
                />
              </label>
              <button
                type="button"
                className="button small secondary"
                onClick={() => setUseRecovery(!useRecovery)}
              >
                {useRecovery ? 'Use a code from the app' : 'Use a recovery code'}
              </button>
            </>
          )}
          {error && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
          <button className="button" disabled={busy}>
            {busy ? 'Signing in…' : needsCode ? 'Verify' : 'Sign in'}
          </button>
          <Link to="/forgot-password">Forgot your password?</Link>
        </form>
      </section>
    </main>
  );
}
