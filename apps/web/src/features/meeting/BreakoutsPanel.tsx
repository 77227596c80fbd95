import type { BreakoutPlanProgress } from '@conclave/client';
import type { BreakoutState, Participant, ParticipantId } from '@conclave/protocol';
import { useEffect, useRef, useState } from 'react';
import { ShieldIcon } from '../../components/icons';

export interface BreakoutsPanelProps {
  state: BreakoutState;
  participants: Participant[];
  /** Why breakout rooms cannot be used right now (E2EE on). */
  disabledReason: string | undefined;
  onOpen: (req: {
    rooms: { name: string }[];
    assignments: Record<string, number>;
    durationMinutes: number | null;
  }) => void;
  /**
   * Under E2EE: the rooms as planned now, sent while the host plans (debounced) so that each
   * room's encrypted group is ready before Open (issue 18). Undefined: E2EE is off.
   */
  onPlan?:
    ((req: { rooms: { name: string }[]; assignments: Record<string, number> }) => void) | undefined;
  /** Under E2EE: how many planned rooms have their encrypted group ready (null: not yet known). */
  planProgress: BreakoutPlanProgress | null;
  onMove: (id: ParticipantId, roomIndex: number | null) => void;
  /** The breakout room this host is visiting (undefined: the main room). */
  myRoomId: string | undefined;
  /** Visit a room (index) or return to the main room (null). */
  onJoin: (roomIndex: number | null) => void;
  onBroadcast: (text: string) => void;
  onClose: (countdownSeconds: number) => void;
  onDismiss: () => void;
}

/** The plan is sent once the host stops changing it for this long. */
const PLAN_DEBOUNCE_MS = 300;

/** What the host reads about the planned rooms' keys (`progress` null: the plan is being sent). */
export function planStatusText(progress: BreakoutPlanProgress | null): string {
  if (progress && progress.ready >= progress.rooms)
    return progress.rooms === 1
      ? 'The room’s keys are ready.'
      : `Keys for all ${progress.rooms} rooms are ready.`;
  const ready = progress ? `: ${progress.ready} of ${progress.rooms} ready` : '';
  return `Preparing the rooms’ keys${ready}. You can open now: a room whose keys are not ready exchanges them as it opens.`;
}

/**
 * Host: plan rooms, assign people (by hand or automatically), open with a timer, visit a room and
 * come back, message, close.
 */
export function BreakoutsPanel(props: BreakoutsPanelProps) {
  const [count, setCount] = useState(2);
  const [minutes, setMinutes] = useState('');
  const [plan, setPlan] = useState<Record<string, number>>({});
  const [message, setMessage] = useState('');
  const guests = props.participants.filter((p) => p.role !== 'host' && !p.held);
  const rooms = Array.from({ length: count }, (_, i) => ({ name: `Room ${i + 1}` }));
  const open = props.state.status !== 'none';
  // The latest callback, so that a re-render (new function) does not restart the debounce.
  const onPlan = useRef(props.onPlan);
  onPlan.current = props.onPlan;
  const planning = !open && props.onPlan !== undefined;
  const planKey = JSON.stringify([count, plan, guests.map((p) => p.id)]);
  // The plan whose progress was shown when the host changed it: not shown for the new one.
  const [replacedPlanId, setReplacedPlanId] = useState<string | null>(null);
  const progressNow = useRef(props.planProgress);
  progressNow.current = props.planProgress;
  const progress =
    props.planProgress && props.planProgress.planId !== replacedPlanId ? props.planProgress : null;
  useEffect(() => {
    if (!planning) return;
    setReplacedPlanId(progressNow.current?.planId ?? null);
    const timer = setTimeout(() => {
      const [n, assignments] = JSON.parse(planKey) as [number, Record<string, number>];
      const planned = Array.from({ length: n }, (_, i) => ({ name: `Room ${i + 1}` }));
      onPlan.current?.({ rooms: planned, assignments });
    }, PLAN_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [planning, planKey]);

  return (
    <aside className="panel" aria-label="Breakout rooms">
      <header className="panel-header">
        <h2>Breakout rooms</h2>
        <button
          className="icon-button"
          aria-label="Close breakout rooms panel"
          onClick={props.onDismiss}
        >
          ×
        </button>
      </header>
      {props.disabledReason ? (
        <p className="warning" role="note">
          {props.disabledReason}
        </p>
      ) : !open ? (
        <div className="stack">
          {planning && (
            <p className="e2ee-note" role="status" data-testid="breakout-plan-status">
              <ShieldIcon /> End-to-end encrypted: each room is its own encrypted group.{' '}
              {planStatusText(progress)}
            </p>
          )}
          <label>
            Number of rooms
            <input
              type="number"
              min={1}
              max={20}
              value={count}
              onChange={(e) => setCount(Math.max(1, Math.min(20, Number(e.target.value) || 1)))}
            />
          </label>
          <button
            className="button small secondary"
            onClick={() => setPlan(Object.fromEntries(guests.map((p, i) => [p.id, i % count])))}
          >
            Assign automatically
          </button>
          <ul className="participant-list">
            {guests.map((p) => (
              <li key={p.id}>
                <label>
                  {p.displayName}
                  <select
                    aria-label={`Room for ${p.displayName}`}
                    value={plan[p.id] ?? ''}
                    onChange={(e) => setPlan({ ...plan, [p.id]: Number(e.target.value) })}
                  >
                    <option value="" disabled>
                      Choose a room
                    </option>
                    {rooms.map((r, i) => (
                      <option key={r.name} value={i}>
                        {r.name}
                      </option>
                    ))}
                  </select>
                </label>
              </li>
            ))}
          </ul>
          <label>
            Close automatically after (minutes, optional)
            <input
              type="number"
              min={1}
              max={240}
              value={minutes}
              onChange={(e) => setMinutes(e.target.value)}
            />
          </label>
          <button
            className="button"
            disabled={guests.length === 0}
            onClick={() =>
              props.onOpen({
                rooms,
                assignments: plan,
                durationMinutes: minutes ? Number(minutes) : null,
              })
            }
          >
            Open breakout rooms
          </button>
          {guests.length === 0 && <p className="muted">Nobody to send to a room yet.</p>}
        </div>
      ) : (
        <div className="stack">
          {props.state.status === 'closing' && (
            <p className="warning" role="status">
              Closing: everyone returns shortly.
            </p>
          )}
          {props.myRoomId && (
            <button className="button small" onClick={() => props.onJoin(null)}>
              Return to main room
            </button>
          )}
          {props.state.rooms.map((r, i) => (
            <section key={r.id} aria-label={r.name}>
              <h3>
                {r.name}{' '}
                {props.myRoomId === r.id ? (
                  <span className="muted">(you are here)</span>
                ) : (
                  <button
                    className="button small secondary"
                    aria-label={`Join ${r.name}`}
                    onClick={() => props.onJoin(i)}
                  >
                    Join
                  </button>
                )}
              </h3>
              <ul className="participant-list">
                {props.participants
                  .filter((p) => props.state.assignments[p.id] === r.id)
                  .map((p) => (
                    <li key={p.id}>
                      {p.displayName}
                      {p.role === 'host' ? (
                        <span className="muted"> (host, visiting)</span>
                      ) : (
                        <button
                          className="button small secondary"
                          onClick={() =>
                            props.onMove(
                              p.id,
                              i === 0 ? (props.state.rooms.length > 1 ? 1 : null) : 0,
                            )
                          }
                        >
                          Move
                        </button>
                      )}
                    </li>
                  ))}
              </ul>
            </section>
          ))}
          <label>
            Message to all rooms
            <input value={message} maxLength={500} onChange={(e) => setMessage(e.target.value)} />
          </label>
          <button
            className="button small secondary"
            disabled={!message.trim()}
            onClick={() => {
              props.onBroadcast(message);
              setMessage('');
            }}
          >
            Send to all rooms
          </button>
          <button
            className="button danger"
            disabled={props.state.status !== 'open'}
            onClick={() => props.onClose(10)}
          >
            Close all rooms (10 s countdown)
          </button>
        </div>
      )}
    </aside>
  );
}
