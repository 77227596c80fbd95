import type { UserView } from '@conclave/protocol';
import { useCallback, useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { api } from '../../app/api';
import { Feedback } from '../../components/Field';

type StaffRole = 'legal_reviewer' | 'legal_admin';
const LABELS: Record<StaffRole | 'member', string> = {
  legal_reviewer: 'Legal reviewer',
  legal_admin: 'Legal admin',
  member: 'Member (no legal role)',
};

/**
 * Legal admins bring in and manage legal staff here (account admins cannot grant legal roles).
 * A reviewer someone invites cannot approve that person's disclosures until the account owner
 * confirms them as independent.
 */
export function LegalStaffCard({ selfId }: { selfId: string }) {
  const [staff, setStaff] = useState<UserView[] | undefined>();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<StaffRole>('legal_reviewer');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [notice, setNotice] = useState<string | undefined>();

  const load = useCallback(() => {
    api.legalStaff().then(
      (r) => setStaff(r.users),
      (err: unknown) => setError(err instanceof Error ? err.message : String(err)),
    );
  }, []);
  useEffect(load, [load]);

  const run = async (fn: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    try {
      await fn();
      setNotice(done);
      load();
      return true;
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      return false;
    } finally {
      setBusy(false);
    }
  };
  const invite = (e: FormEvent) => {
    e.preventDefault();
    void run(() => api.inviteLegalStaff(email, role), `Invitation sent to ${email}.`).then(
      (ok) => ok && setEmail(''),
    );
  };

  return (
    <section className="card wide stack" aria-labelledby="staff-title">
      <h2 id="staff-title">Legal staff</h2>
      <p className="muted">
        Disclosures need two independent reviewers: someone you invite here cannot approve your
        decisions (nor you theirs) for a while (90 days unless the operator changed it) unless the
        account owner confirms them as a separate person.
      </p>
      <form className="row wrap" onSubmit={invite} aria-label="Invite legal staff">
        <label>
          Email
          <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} required />
        </label>
        <label>
          Role
          <select value={role} onChange={(e) => setRole(e.target.value as StaffRole)}>
            <option value="legal_reviewer">{LABELS.legal_reviewer}</option>
            <option value="legal_admin">{LABELS.legal_admin}</option>
          </select>
        </label>
        <button className="button" disabled={busy}>
          Invite
        </button>
      </form>
      <Feedback error={error} notice={notice} />
      {staff && (
        <table className="data-table" aria-label="Legal staff">
          <thead>
            <tr>
              <th>Name</th>
              <th>Email</th>
              <th>Role</th>
              <th>Status</th>
              <th>2FA</th>
            </tr>
          </thead>
          <tbody>
            {staff.map((u) => (
              <tr key={u.id} data-testid="staff-row">
                <td>{u.name}</td>
                <td>{u.email}</td>
                <td>
                  <select
                    aria-label={`Legal role of ${u.email}`}
                    value={u.role}
                    disabled={busy || u.id === selfId}
                    onChange={(e) => {
                      const next = e.target.value as StaffRole | 'member';
                      void run(
                        () => api.setLegalStaffRole(u.id, next),
                        `${u.email} is now ${LABELS[next]}.`,
                      );
                    }}
                  >
                    {(['legal_reviewer', 'legal_admin', 'member'] as const).map((r) => (
                      <option key={r} value={r}>
                        {LABELS[r]}
                      </option>
                    ))}
                  </select>
                </td>
                <td>{u.status}</td>
                <td>{u.twoFactorEnabled ? 'On' : 'Not yet: no console access'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
