import { useEffect } from 'react';
import { ConsoleLayout } from './ConsoleLayout';
import { QueueTable } from './QueueTable';
import { loadQueue, useConsole } from './console-store';

/** `/legal`: the queue of open government requests. */
export function LegalQueuePage() {
  const s = useConsole();
  useEffect(() => {
    void loadQueue();
  }, []);
  return (
    <ConsoleLayout title="Legal console" denied={s.denied} error={s.error} notice={s.notice}>
      <section className="card wide">
        <h2>Queue</h2>
        {s.queue ? <QueueTable queue={s.queue} /> : <p aria-busy="true">Loading…</p>}
      </section>
    </ConsoleLayout>
  );
}
