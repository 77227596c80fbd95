// Control messages sent inside the MLS group as application messages (RFC 9420 §6.3.1), so the
// server can neither read nor forge them. The first release has one: turning E2EE off.

export interface E2eeOffMessage {
  kind: 'e2ee-off';
  reason: 'host' | 'unsupported-client';
  /** Who joined, for the notice everyone sees (reason 'unsupported-client'). */
  joiner?: { participantId: string; displayName: string; clientLabel: string };
}

export type ControlMessage = E2eeOffMessage;

export function encodeControl(message: ControlMessage): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(message));
}

/** Strict: anything that is not exactly a known control message is rejected. */
export function decodeControl(bytes: Uint8Array): ControlMessage | undefined {
  let v: unknown;
  try {
    v = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const m = v as Record<string, unknown>;
  if (m.kind !== 'e2ee-off' || (m.reason !== 'host' && m.reason !== 'unsupported-client'))
    return undefined;
  const j = m.joiner as Record<string, unknown> | undefined;
  if (
    j !== undefined &&
    (typeof j !== 'object' ||
      typeof j.participantId !== 'string' ||
      typeof j.displayName !== 'string' ||
      typeof j.clientLabel !== 'string')
  )
    return undefined;
  return {
    kind: 'e2ee-off',
    reason: m.reason,
    ...(j
      ? {
          joiner: {
            participantId: j.participantId as string,
            displayName: j.displayName as string,
            clientLabel: j.clientLabel as string,
          },
        }
      : {}),
  };
}
