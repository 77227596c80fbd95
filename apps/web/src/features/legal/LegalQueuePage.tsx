import { useEffect } from 'react';
import { useLocation } from 'react-router';
import { useSession } from '../../state/session';
import { AgenciesCard } from './AgenciesCard';
import { ConsoleLayout } from './ConsoleLayout';
import { LegalStaffCard } from './LegalStaffCard';
import { QueueTable } from './QueueTable';
import { createAgency, loadAgencies, loadQueue, useConsole } from './console-store';

/** `/legal`: the queue of open government requests, and the agencies that may send them. */
export function LegalQueuePage() {
  const s = useConsole();
  const session = useSession();
  const role = session.status === 'signed-in' ? session.me.user.role : undefined;
  // Keyed on the navigation, so following the Queue link from the queue reloads it.
  const { key } = useLocation();
  useEffect(() => {
    void loadQueue();
    void loadAgencies();
  }, [key]);
  return (
    <ConsoleLayout title="Legal console" denied={s.denied} error={s.error} notice={s.notice}>
      <section className="card wide">
        <h2>Queue</h2>
        {s.queue ? <QueueTable queue={s.queue} /> : <p aria-busy="true">Loading…</p>}
      </section>
      {s.agencies && (
        <AgenciesCard
          agencies={s.agencies}
          canAdd={role === 'legal_admin'}
          busy={s.busy}
          onAdd={createAgency}
        />
      )}
      {role === 'legal_admin' && session.status === 'signed-in' && !s.denied && (
        <LegalStaffCard selfId={session.me.user.id} />
      )}
    </ConsoleLayout>
  );
}
