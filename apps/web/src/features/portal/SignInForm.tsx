import { useState } from 'react';
import type { FormEvent } from 'react';
import { Link } from 'react-router';
import { TextField } from '../../components/Field';

/** Email and password, then the authenticator code once the server asks for it. */
export function SignInForm(p: {
  busy: boolean;
  onSignIn: (email: string, password: string, code?: string) => Promise<'ok' | 'code' | 'failed'>;
}) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [needsCode, setNeedsCode] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void p.onSignIn(email, password, needsCode ? code : undefined).then((r) => {
      if (r === 'code') setNeedsCode(true);
      if (r === 'failed') setCode('');
    });
  };
  return (
    <section className="card" aria-labelledby="portal-signin">
      <h2 id="portal-signin">Sign in</h2>
      <form className="stack" onSubmit={submit}>
        {needsCode ? (
          <TextField
            label="Authentication code"
            value={code}
            onChange={(v) => setCode(v.trim())}
            autoComplete="one-time-code"
            required
          />
        ) : (
          <>
            <TextField
              label="Official email"
              type="email"
              value={email}
              onChange={setEmail}
              autoComplete="username"
              required
            />
            <TextField
              label="Password"
              type="password"
              value={password}
              onChange={setPassword}
              autoComplete="current-password"
              required
            />
          </>
        )}
        <button className="button" disabled={p.busy}>
          {needsCode ? 'Verify' : 'Sign in'}
        </button>
      </form>
      <p>
        New to the portal?{' '}
        <Link to="/legal/portal/register">Register with your official email</Link>
      </p>
    </section>
  );
}
