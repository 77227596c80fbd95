import { useEffect, useRef, useState } from 'react';
import type { MeetingSnapshot } from '../../state/meeting-store';

/**
 * A visually hidden live region that announces state changes to screen readers: this device's
 * microphone and camera, end-to-end encryption on or off, people joining and leaving.
 */
export function Announcer(props: {
  snapshot: MeetingSnapshot;
  micOn: boolean;
  camOn: boolean;
  e2eeOn: boolean;
}) {
  const [text, setText] = useState('');
  const prev = useRef<
    { micOn: boolean; camOn: boolean; e2eeOn: boolean; ids: Set<string> } | undefined
  >(undefined);
  const { snapshot, micOn, camOn, e2eeOn } = props;
  useEffect(() => {
    const ids = new Set(snapshot.participants.map((p) => p.id as string));
    const before = prev.current;
    prev.current = { micOn, camOn, e2eeOn, ids };
    if (!before) return;
    const said: string[] = [];
    if (before.micOn !== micOn) said.push(micOn ? 'Microphone on.' : 'Microphone muted.');
    if (before.camOn !== camOn) said.push(camOn ? 'Camera on.' : 'Camera off.');
    if (before.e2eeOn !== e2eeOn)
      said.push(e2eeOn ? 'End-to-end encryption is on.' : 'End-to-end encryption is off.');
    for (const p of snapshot.participants)
      if (!before.ids.has(p.id) && p.id !== snapshot.selfId) said.push(`${p.displayName} joined.`);
    if (said.length > 0) setText(said.join(' '));
  }, [snapshot.participants, snapshot.selfId, micOn, camOn, e2eeOn]);
  return (
    <div className="sr-only" aria-live="polite" data-testid="announcer">
      {text}
    </div>
  );
}
