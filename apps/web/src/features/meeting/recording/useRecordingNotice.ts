import type { ParticipantId, RecordingState } from '@conclave/protocol';
import { useCallback, useState } from 'react';

/** What the notice is about, minus what this participant started themselves. */
function parts(state: RecordingState | undefined, selfId: ParticipantId | undefined): string[] {
  if (!state) return [];
  const out = state.local.filter((p) => p.id !== selfId).map((p) => `local:${p.id}`);
  if (state.cloud.on && state.cloud.startedBy?.id !== selfId)
    out.push(`cloud:${state.cloud.startedAt ?? 0}`);
  return out;
}

/**
 * The recording notice shows on joining a recorded meeting and whenever someone else starts
 * recording; "Continue" acknowledges what is shown, a new recording or recorder asks again.
 */
export function useRecordingNotice(
  state: RecordingState | undefined,
  selfId: ParticipantId | undefined,
) {
  const [acknowledged, setAcknowledged] = useState<ReadonlySet<string>>(new Set());
  const current = parts(state, selfId);
  const show = current.some((p) => !acknowledged.has(p));
  const acknowledge = useCallback(
    () => setAcknowledged((a) => new Set([...a, ...parts(state, selfId)])),
    [state, selfId],
  );
  return { show, acknowledge };
}
