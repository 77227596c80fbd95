import { useEffect, useState } from 'react';
import { Link, Navigate } from 'react-router';
import { api } from '../../app/api';
import { isAccountAdmin, useSession } from '../../state/session';
import { HistoryTab } from './HistoryTab';
import { LocationTab } from './LocationTab';
import { MeetingSettingsTab } from './MeetingSettingsTab';
import { NodesTab } from './NodesTab';
import { OutboxTab } from './OutboxTab';
import { PlanTab } from './PlanTab';
import { RecordingsTab } from '../recordings/RecordingsTab';
import { SecurityTab } from './SecurityTab';
import { UsersTab } from './UsersTab';

const TABS = [
  ['users', 'Users'],
  ['plan', 'Plan'],
  ['settings', 'Meeting settings'],
  ['recordings', 'Recordings'],
  ['security', 'Security'],
  ['location', 'Location'],
  ['history', 'History'],
  ['outbox', 'Outbox'],
  ['nodes', 'Nodes'],
] as const;
type Tab = (typeof TABS)[number][0];

/** The account admin console (owners and admins). */
export function AdminPage() {
  const session = useSession();
  const [tab, setTab] = useState<Tab>('users');
  const [names, setNames] = useState<Record<string, string>>({});
  const me = session.status === 'signed-in' ? session.me : undefined;
  const admin = me ? isAccountAdmin(me) : false;
  // Only the operator's account sees its nodes (others get FORBIDDEN): no tab for them.
  const [operator, setOperator] = useState(false);
  useEffect(() => {
    if (!admin) return;
    api.clusterNodes().then(
      () => setOperator(true),
      () => setOperator(false),
    );
  }, [admin]);
  useEffect(() => {
    if (!admin) return;
    api.users('').then(
      (r) => setNames(Object.fromEntries(r.users.map((u) => [u.id, u.email]))),
      () => undefined,
    );
  }, [admin, tab]);

  if (session.status === 'loading')
    return (
      <main className="screen center" aria-busy="true">
        <p>Loading…</p>
      </main>
    );
  if (!me) return <Navigate to="/signin" replace />;
  if (me.mustEnrollTwoFactor) return <Navigate to="/account?enroll=1" replace />;
  if (!admin)
    return (
      <main className="screen center">
        <section className="card">
          <h1>Admins only</h1>
          <p>Only the account&apos;s owners and admins can open the admin console.</p>
          <Link className="button secondary" to="/account">
            Back to my account
          </Link>
        </section>
      </main>
    );
  return (
    <main className="screen admin">
      <header className="page-header">
        <h1>Admin console · {me.account.name}</h1>
        <nav className="row" aria-label="Account">
          <Link className="button secondary small" to="/account">
            My account
          </Link>
        </nav>
      </header>
      <div className="row" role="tablist" aria-label="Admin sections">
        {TABS.filter(([id]) => id !== 'nodes' || operator).map(([id, label]) => (
          <button
            key={id}
            role="tab"
            aria-selected={tab === id}
            className={`button small${tab === id ? '' : ' secondary'}`}
            onClick={() => setTab(id)}
          >
            {label}
          </button>
        ))}
      </div>
      <div className="card wide" role="tabpanel">
        {tab === 'users' && <UsersTab selfId={me.user.id} selfRole={me.user.role} />}
        {tab === 'plan' && <PlanTab />}
        {tab === 'settings' && <MeetingSettingsTab />}
        {tab === 'recordings' && <RecordingsTab />}
        {tab === 'security' && <SecurityTab />}
        {tab === 'location' && <LocationTab />}
        {tab === 'history' && (
          <HistoryTab
            nameOf={(id) => (id ? (names[id] ?? 'a former user') : 'the operator')}
            knownName={(id) => names[id]}
          />
        )}
        {tab === 'outbox' && <OutboxTab />}
        {tab === 'nodes' && <NodesTab />}
      </div>
    </main>
  );
}
