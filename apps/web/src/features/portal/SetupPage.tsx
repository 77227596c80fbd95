import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { Navigate, useNavigate } from 'react-router';
import { TextField } from '../../components/Field';
import { Loading, PortalLayout } from './PortalLayout';
import {
  acceptAttestation,
  confirmTotp,
  loadAttestation,
  loadMe,
  signOut,
  startTotp,
  usePortal,
} from './portal-store';

/** `/legal/portal/setup`: two-factor authentication, then the attestation. */
export function SetupPage() {
  const s = usePortal();
  const navigate = useNavigate();
  useEffect(() => {
    if (s.me === undefined) void loadMe();
    void loadAttestation();
  }, [s.me]);
  if (s.me === undefined) return <Loading />;
  if (s.me === null) return <Navigate to="/legal/portal" replace />;
  const me = s.me;
  return (
    <PortalLayout
      title="Finish setting up your account"
      me={me}
      error={s.error}
      notice={s.notice}
      onSignOut={() => void signOut()}
    >
      <ol className="steps">
        <li>
          <h2>Verify your email</h2>
          <p>{me.emailVerified ? 'Done.' : 'Open the link we sent to your official address.'}</p>
        </li>
        <li>
          <h2>Two-factor authentication</h2>
          {me.twoFactorEnabled ? (
            <p data-testid="totp-done">Done: sign-ins need a code from your authenticator app.</p>
          ) : (
            <TotpStep busy={s.busy} enrolment={s.enrolment} />
          )}
        </li>
        <li>
          <h2>Attestation</h2>
          {me.attestationAccepted ? (
            <p>Accepted.</p>
          ) : (
            <AttestationStep
              text={s.attestation}
              busy={s.busy}
              disabled={!me.emailVerified}
              onAccept={() => void acceptAttestation()}
            />
          )}
        </li>
      </ol>
      {me.verified && (
        <button className="button" onClick={() => void navigate('/legal/portal/new')}>
          Submit a request
        </button>
      )}
    </PortalLayout>
  );
}

function TotpStep(p: { busy: boolean; enrolment: { secret: string; qr: string } | undefined }) {
  const [code, setCode] = useState('');
  if (!p.enrolment)
    return (
      <button className="button" disabled={p.busy} onClick={() => void startTotp()}>
        Set up two-factor authentication
      </button>
    );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void confirmTotp(code);
  };
  return (
    <form className="stack" onSubmit={submit}>
      <p>Scan this code with an authenticator app, or type the key into it.</p>
      <img src={p.enrolment.qr} alt="QR code for your authenticator app" width={180} />
      <p>
        Key: <code data-testid="totp-secret">{p.enrolment.secret}</code>
      </p>
      <TextField
        label="Code from the app"
        value={code}
        onChange={(v) => setCode(v.trim())}
        autoComplete="one-time-code"
        required
      />
      <button className="button" disabled={p.busy}>
        Turn on two-factor authentication
      </button>
    </form>
  );
}

function AttestationStep(p: {
  text: string | undefined;
  busy: boolean;
  disabled: boolean;
  onAccept: () => void;
}) {
  const [checked, setChecked] = useState(false);
  return (
    <div className="stack">
      <blockquote data-testid="attestation-text">{p.text ?? 'Loading…'}</blockquote>
      <label className="check">
        <input
          type="checkbox"
          checked={checked}
          onChange={(e) => setChecked(e.target.checked)}
          disabled={p.disabled}
        />
        I have read and accept this attestation
      </label>
      <button className="button" disabled={p.busy || !checked || p.disabled} onClick={p.onAccept}>
        Accept the attestation
      </button>
    </div>
  );
}
