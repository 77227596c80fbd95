import { requesterRegisterSchema } from '@conclave/protocol';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { Link } from 'react-router';
import { TextField } from '../../components/Field';
import { PortalLayout } from './PortalLayout';
import { clearFeedback, register, signOut, usePortal } from './portal-store';

const FIELDS = [
  ['email', 'Official email', 'email'],
  ['password', 'Password (at least 12 characters)', 'password'],
  ['fullName', 'Full name', 'text'],
  ['badgeNumber', 'Badge or employee number', 'text'],
  ['phone', 'Official phone number', 'tel'],
  ['mailingAddress', 'Official mailing address', 'text'],
] as const;
type Key = (typeof FIELDS)[number][0];

const HINTS: Partial<Record<Key, string>> = {
  email: 'Its domain must belong to a government agency on our list.',
};

/** `/legal/portal/register`: an official of a listed agency creates a requester account. */
export function RegisterPage() {
  const s = usePortal();
  const [form, setForm] = useState<Record<Key, string>>({
    email: '',
    password: '',
    fullName: '',
    badgeNumber: '',
    phone: '',
    mailingAddress: '',
  });
  const [local, setLocal] = useState<Partial<Record<string, string>>>({});
  const [done, setDone] = useState(false);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    clearFeedback();
    const parsed = requesterRegisterSchema.safeParse(form);
    if (!parsed.success) {
      const errs: Record<string, string> = {};
      for (const i of parsed.error.issues) {
        const k = String(i.path[0]);
        errs[k] ??= k === 'password' ? 'Use at least 12 characters.' : 'Fill in this field.';
      }
      setLocal(errs);
      return;
    }
    setLocal({});
    void register(parsed.data).then(setDone);
  };

  return (
    <PortalLayout
      title="Register as a government requester"
      me={s.me}
      error={s.error}
      notice={s.notice}
      onSignOut={() => void signOut()}
    >
      {done ? (
        <p>
          After verifying your address, <Link to="/legal/portal">sign in</Link> to set up two-factor
          authentication.
        </p>
      ) : (
        <form className="card stack" onSubmit={submit} aria-label="Register" noValidate>
          {FIELDS.map(([key, label, type]) => (
            <TextField
              key={key}
              label={label}
              type={type}
              value={form[key]}
              onChange={(v) => setForm({ ...form, [key]: v })}
              error={local[key] ?? s.fieldErrors[key]}
              hint={HINTS[key]}
              required
            />
          ))}
          <button className="button" disabled={s.busy}>
            Register
          </button>
          <Link to="/legal/portal">I already have an account</Link>
        </form>
      )}
    </PortalLayout>
  );
}
