// The host key stays in this browser only: whoever holds it is the meeting's host.
const prefix = 'conclave.hostKey.';

export function saveHostKey(meetingId: string, key: string): void {
  localStorage.setItem(prefix + meetingId, key);
}

export function hostKeyFor(meetingId: string): string | undefined {
  return localStorage.getItem(prefix + meetingId) ?? undefined;
}

const nameKey = 'conclave.displayName';
export const savedDisplayName = () => localStorage.getItem(nameKey) ?? '';
export const saveDisplayName = (name: string) => localStorage.setItem(nameKey, name);
