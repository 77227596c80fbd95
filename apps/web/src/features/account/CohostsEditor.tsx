import { useEffect, useState } from 'react';
import { api } from '../../app/api';
import type { MyMeeting } from '../../app/api';
import { ErrorLine } from '../../components/ErrorLine';
import { useAction } from '../../components/useAction';

/** The owner names co-hosts among colleagues; a signed-in co-host joins as host. */
export function CohostsEditor(props: { meeting: MyMeeting; onSaved: () => void }) {
  const [colleagues, setColleagues] = useState<{ id: string; name: string; email: string }[]>();
  const [chosen, setChosen] = useState(new Set(props.meeting.cohostUserIds));
  const { error, busy, run } = useAction();
  useEffect(() => {
    void run(async () => setColleagues((await api.colleagues()).colleagues));
  }, [run]);
  const toggle = (id: string) => {
    const next = new Set(chosen);
    if (!next.delete(id)) next.add(id);
    setChosen(next);
  };
  return (
    <fieldset className="stack" aria-label="Co-hosts">
      <legend>Co-hosts</legend>
      {colleagues?.length === 0 && <p className="muted">Nobody else is in your account yet.</p>}
      {colleagues?.map((c) => (
        <label key={c.id} className="check">
          <input type="checkbox" checked={chosen.has(c.id)} onChange={() => toggle(c.id)} />
          {c.name} ({c.email})
        </label>
      ))}
      <ErrorLine error={error} />
      <button
        className="button small"
        disabled={busy || !colleagues}
        onClick={() =>
          void run(async () => {
            await api.setCohosts(props.meeting.meetingId, [...chosen]);
            props.onSaved();
          })
        }
      >
        Save co-hosts
      </button>
    </fieldset>
  );
}
