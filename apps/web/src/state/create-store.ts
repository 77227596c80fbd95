import { useSyncExternalStore } from 'react';

/** A feature's single state module: one object, replaced on each change, read with a hook. */
export function createStore<T extends object>(initial: T) {
  let state = initial;
  const listeners = new Set<() => void>();
  const subscribe = (l: () => void) => {
    listeners.add(l);
    return () => listeners.delete(l);
  };
  return {
    get: (): T => state,
    set(patch: Partial<T> | ((s: T) => Partial<T>)): void {
      state = { ...state, ...(typeof patch === 'function' ? patch(state) : patch) };
      for (const l of listeners) l();
    },
    use: (): T => useSyncExternalStore(subscribe, () => state),
  };
}
