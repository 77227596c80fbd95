import type { MeResult } from '@conclave/protocol';
import QRCode from 'qrcode';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { api } from '../../app/api';
import { refreshSession } from '../../state/session';

/** Turn on two-factor sign-in: QR code (and the secret as text), confirm a code, keep recovery codes. */
export function TwoFactorCard({ me }: { me: MeResult }) {
  const [enrolment, setEnrolment] = useState<{ secret: string; qr: string }>();
  const [code, setCode] = useState('');
  const [recovery, setRecovery] = useState<string[]>();
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

  const start = () =>
    run(async () => {
      const { secret, otpauthUrl } = await api.enrollTwoFactor();
      setEnrolment({ secret, qr: await QRCode.toDataURL(otpauthUrl, { margin: 1, width: 180 }) });
    });

  const verify = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const { recoveryCodes } = await api.verifyTwoFactor(code);
      setRecovery(recoveryCodes);
      setEnrolment(undefined);
      await refreshSession();
    });
  };

  return (
    <section className="card" aria-labelledby="twofa-title">
      <h2 id="twofa-title">Two-factor sign-in</h2>
      {me.mustEnrollTwoFactor && (
        <p className="warning" role="alert">
          Your account admin requires two-factor sign-in. Set it up to continue.
        </p>
      )}
      {recovery ? (
        <div className="stack" role="status">
          <p>
            Two-factor sign-in is on. Keep these recovery codes somewhere safe: each works once if
            you lose your phone. They are shown only now.
          </p>
          <ul className="recovery-codes" data-testid="recovery-codes">
            {recovery.map((c) => (
              <li key={c}>
                <code>{c}</code>
              </li>
            ))}
          </ul>
        </div>
      ) : me.user.twoFactorEnabled ? (
        <p data-testid="twofa-status">Two-factor sign-in is on.</p>
      ) : enrolment ? (
        <form className="stack" onSubmit={verify}>
          <p>Scan this code with an authenticator app, or type the key into it.</p>
          <img src={enrolment.qr} alt="QR code for your authenticator app" width={180} />
          <p>
            Key: <code data-testid="totp-secret">{enrolment.secret}</code>
          </p>
          <label>
            Code from the app
            <input
              inputMode="numeric"
              autoComplete="one-time-code"
              value={code}
              onChange={(e) => setCode(e.target.value.trim())}
              required
            />
          </label>
          <button className="button" disabled={busy}>
            Turn on two-factor sign-in
          </button>
        </form>
      ) : (
        <button className="button" disabled={busy} onClick={() => void start()}>
          Set up two-factor sign-in
        </button>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
