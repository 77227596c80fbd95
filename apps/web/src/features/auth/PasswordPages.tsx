import { useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { api } from '../../app/api';
import { signedIn } from '../../state/session';

/** The one-time token travels in the URL fragment so it never reaches logs or Referer. */
const tokenFromHash = () => new URLSearchParams(location.hash.slice(1)).get('token') ?? '';

function useForm() {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await fn();
    } catch (err) {
      setError(err instanceof Error ? err.message : 'That did not work.');
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, run };
}

function ErrorLine({ error }: { error: string | undefined }) {
  return error ? (
    <p className="error" role="alert">
      {error}
    </p>
  ) : null;
}

export function ForgotPasswordPage() {
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const { error, busy, run } = useForm();
  return (
    <main className="screen center">
      <section className="card" aria-labelledby="forgot-title">
        <h1 id="forgot-title">Reset your password</h1>
        {sent ? (
          <p role="status">
            If an account uses {email}, a link to choose a new password is on its way. It works
            once, for one hour.
          </p>
        ) : (
          <form
            className="stack"
            onSubmit={(e: FormEvent) => {
              e.preventDefault();
              void run(async () => {
                await api.requestPasswordReset(email);
                setSent(true);
              });
            }}
          >
            <label>
              Email
              <input
                type="email"
                value={email}
                onChange={(e) => setEmail(e.target.value)}
                required
              />
            </label>
            <ErrorLine error={error} />
            <button className="button" disabled={busy}>
              Send the link
            </button>
          </form>
        )}
        <Link to="/signin">Back to sign-in</Link>
      </section>
    </main>
  );
}

function NewPasswordFields(props: {
  password: string;
  confirm: string;
  onPassword: (v: string) => void;
  onConfirm: (v: string) => void;
}) {
  return (
    <>
      <label>
        New password (at least 12 characters)
        <input
          type="password"
          autoComplete="new-password"
          minLength={12}
          value={props.password}
          onChange={(e) => props.onPassword(e.target.value)}
          required
        />
      </label>
      <label>
        Repeat the new password
        <input
          type="password"
          autoComplete="new-password"
          value={props.confirm}
          onChange={(e) => props.onConfirm(e.target.value)}
          required
        />
      </label>
    </>
  );
}

export function ResetPasswordPage() {
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [done, setDone] = useState(false);
  const { error, busy, run } = useForm();
  return (
    <main className="screen center">
      <section className="card" aria-labelledby="reset-title">
        <h1 id="reset-title">Choose a new password</h1>
        {done ? (
          <p role="status">
            Your password is changed and you were signed out everywhere.{' '}
            <Link to="/signin">Sign in</Link>
          </p>
        ) : (
          <form
            className="stack"
            onSubmit={(e: FormEvent) => {
              e.preventDefault();
              void run(async () => {
                if (password !== confirm) throw new Error('The two passwords differ.');
                await api.completePasswordReset(tokenFromHash(), password);
                setDone(true);
              });
            }}
          >
            <NewPasswordFields
              password={password}
              confirm={confirm}
              onPassword={setPassword}
              onConfirm={setConfirm}
            />
            <ErrorLine error={error} />
            <button className="button" disabled={busy}>
              Set password
            </button>
          </form>
        )}
      </section>
    </main>
  );
}

export function AcceptInvitePage() {
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const { error, busy, run } = useForm();
  return (
    <main className="screen center">
      <section className="card" aria-labelledby="invite-title">
        <h1 id="invite-title">Join your team on Conclave</h1>
        <form
          className="stack"
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            void run(async () => {
              if (password !== confirm) throw new Error('The two passwords differ.');
              const me = await api.acceptInvite(
                tokenFromHash(),
                password,
                name.trim() || undefined,
              );
              signedIn(me);
              void navigate(me.mustEnrollTwoFactor ? '/account?enroll=1' : '/account');
            });
          }}
        >
          <label>
            Your name
            <input value={name} onChange={(e) => setName(e.target.value)} maxLength={200} />
          </label>
          <NewPasswordFields
            password={password}
            confirm={confirm}
            onPassword={setPassword}
            onConfirm={setConfirm}
          />
          <ErrorLine error={error} />
          <button className="button" disabled={busy}>
            Set password and sign in
          </button>
        </form>
      </section>
    </main>
  );
}
