import { ConclaveError } from '@conclave/protocol';
import type { MeResult } from '@conclave/protocol';
import { useEffect, useSyncExternalStore } from 'react';
import { api, sessionProbe } from '../app/api';

export type SessionState =
  | { status: 'loading' }
  | { status: 'signed-out' }
  | { status: 'signed-in'; me: MeResult }
  | { status: 'error'; message: string };

let state: SessionState = { status: 'loading' };
let loading: Promise<void> | undefined;
const listeners = new Set<() => void>();

function set(next: SessionState): void {
  state = next;
  for (const l of listeners) l();
}

/** Re-reads who is signed in (after sign-in, sign-out, or a role change). */
export function refreshSession(): Promise<void> {
  // Signed-out visitors are not asked for /api/auth/me: its 401 would be a console error.
  loading = sessionProbe()
    .then(({ signedIn }) =>
      signedIn ? api.me() : Promise.reject(new ConclaveError('NOT_SIGNED_IN')),
    )
    .then(
      (me) => set({ status: 'signed-in', me }),
      (err: unknown) =>
        set(
          err instanceof ConclaveError && err.status === 401
            ? { status: 'signed-out' }
            : { status: 'error', message: (err as Error).message },
        ),
    );
  return loading;
}

export function signedIn(me: MeResult): void {
  set({ status: 'signed-in', me });
}

export async function signOut(everywhere = false): Promise<void> {
  await (everywhere ? api.logoutAll() : api.logout());
  set({ status: 'signed-out' });
}

/** The one place the web app keeps who is signed in. */
export function useSession(): SessionState {
  const snapshot = useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => state,
  );
  useEffect(() => {
    if (!loading) void refreshSession();
  }, []);
  return snapshot;
}

export const isAccountAdmin = (me: MeResult): boolean =>
  me.user.role === 'owner' || me.user.role === 'admin';
