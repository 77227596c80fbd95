import { ROLES } from '@conclave/protocol';
import type { AccountRole, UserView } from '@conclave/protocol';
import { useCallback, useState } from 'react';
import type { FormEvent } from 'react';
import { api } from '../../app/api';
import { Feedback } from '../../components/Field';
import { plural } from './audit-text';
import { useAdminData } from './useAdminData';

export const ROLE_LABELS: Record<AccountRole, string> = {
  owner: 'Owner',
  admin: 'Admin',
  member: 'Member',
  legal_reviewer: 'Legal reviewer',
  legal_admin: 'Legal admin',
};

const LEGAL: readonly AccountRole[] = ['legal_reviewer', 'legal_admin'];

/**
 * The roles this caller may hand out: legal roles are the owner's (and legal admins', from the
 * legal console) to grant; an admin sees legal staff but cannot change them (issue 15).
 */
const grantable = (selfRole: AccountRole) =>
  ROLES.filter((r) => selfRole === 'owner' || !LEGAL.includes(r));

export function UsersTab({ selfId, selfRole }: { selfId: string; selfRole: AccountRole }) {
  const [q, setQ] = useState('');
  const [query, setQuery] = useState('');
  const load = useCallback(() => api.users(query), [query]);
  const { data, error, busy, act, reload, notice } = useAdminData(load);
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<AccountRole>('member');

  const invite = async (e: FormEvent) => {
    e.preventDefault();
    const ok = await act(async () => {
      await api.inviteUser(email, role, name.trim() || undefined);
    }, `Invitation sent to ${email}.`);
    if (ok) {
      setEmail('');
      setName('');
      reload();
    }
  };
  const change = (fn: () => Promise<unknown>, done: string) =>
    void act(async () => {
      await fn();
    }, done).then((ok) => ok && reload());

  return (
    <section aria-labelledby="users-title" className="stack">
      <h2 id="users-title">Users</h2>
      <form className="row wrap" onSubmit={invite} aria-label="Invite a user">
        <label>
          Email
          <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} required />
        </label>
        <label>
          Name (optional)
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={200} />
        </label>
        <label>
          Role
          <select value={role} onChange={(e) => setRole(e.target.value as AccountRole)}>
            {grantable(selfRole).map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}
              </option>
            ))}
          </select>
        </label>
        <button className="button" disabled={busy}>
          Invite
        </button>
      </form>
      <form
        className="row"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery(q);
        }}
      >
        <label>
          Search users
          <input type="search" value={q} onChange={(e) => setQ(e.target.value)} />
        </label>
        <button className="button secondary">Search</button>
      </form>
      <Feedback error={error} notice={notice} />
      {data && (
        <table className="data-table" aria-label="Users">
          <thead>
            <tr>
              <th>Name</th>
              <th>Email</th>
              <th>Role</th>
              <th>Status</th>
              <th>2FA</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {data.users.map((u: UserView) => (
              <tr key={u.id} data-testid="user-row" data-email={u.email}>
                <td>{u.name}</td>
                <td>{u.email}</td>
                <td>
                  <select
                    aria-label={`Role of ${u.email}`}
                    value={u.role}
                    disabled={
                      busy || u.id === selfId || (LEGAL.includes(u.role) && selfRole !== 'owner')
                    }
                    title={
                      LEGAL.includes(u.role) && selfRole !== 'owner'
                        ? 'Only the owner or a legal admin changes legal roles.'
                        : undefined
                    }
                    onChange={(e) =>
                      change(
                        () => api.changeRole(u.id, e.target.value as AccountRole),
                        `${u.email} is now ${ROLE_LABELS[e.target.value as AccountRole]}.`,
                      )
                    }
                  >
                    {ROLES.filter((r) => r === u.role || grantable(selfRole).includes(r)).map(
                      (r) => (
                        <option key={r} value={r}>
                          {ROLE_LABELS[r]}
                        </option>
                      ),
                    )}
                  </select>
                </td>
                <td>{u.status}</td>
                <td>{u.twoFactorEnabled ? 'On' : 'Off'}</td>
                <td>
                  {selfRole === 'owner' && LEGAL.includes(u.role) && (
                    <button
                      className="button small secondary"
                      title="Lets this reviewer approve disclosures decided by whoever invited them"
                      onClick={() =>
                        change(
                          () => api.confirmReviewer(u.id),
                          `${u.email} is confirmed as an independent reviewer.`,
                        )
                      }
                    >
                      Confirm as independent reviewer
                    </button>
                  )}
                  {u.id !== selfId &&
                    !(LEGAL.includes(u.role) && selfRole !== 'owner') &&
                    (u.status === 'deactivated' ? (
                      <button
                        className="button small secondary"
                        onClick={() =>
                          change(() => api.reactivateUser(u.id), `${u.email} can sign in again.`)
                        }
                      >
                        Reactivate
                      </button>
                    ) : (
                      <button
                        className="button small danger"
                        onClick={() =>
                          change(
                            () => api.deactivateUser(u.id),
                            `${u.email} is deactivated and signed out everywhere.`,
                          )
                        }
                      >
                        Deactivate
                      </button>
                    ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {data && <p className="muted">{plural(data.total, 'user')}</p>}
    </section>
  );
}
