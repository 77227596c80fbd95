/** Event map: event name -> tuple of listener arguments. */
export type EventMap = Record<string, unknown[]>;

type Listener<A extends unknown[]> = (...args: A) => void;
// Listeners are stored type-erased; on()/emit() keep the event <-> arguments pairing typed.
type AnyListener = (...args: unknown[]) => void;

/**
 * A minimal typed event emitter (mediasoup's EnhancedEventEmitter idea): `emit` never throws,
 * a throwing listener is reported to `onListenerError` and the other listeners still run.
 */
export class TypedEmitter<E extends EventMap> {
  #listeners = new Map<keyof E, Set<AnyListener>>();

  /** Called when a listener throws; the default swallows (library code must not log). */
  static onListenerError: (err: unknown, event: string) => void = () => undefined;

  on<K extends keyof E>(event: K, listener: Listener<E[K]>): this {
    let set = this.#listeners.get(event);
    if (!set) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(listener as unknown as AnyListener);
    return this;
  }

  once<K extends keyof E>(event: K, listener: Listener<E[K]>): this {
    const wrapper: Listener<E[K]> = (...args) => {
      this.off(event, wrapper);
      listener(...args);
    };
    return this.on(event, wrapper);
  }

  off<K extends keyof E>(event: K, listener: Listener<E[K]>): this {
    this.#listeners.get(event)?.delete(listener as unknown as AnyListener);
    return this;
  }

  removeAllListeners(): void {
    this.#listeners.clear();
  }

  listenerCount<K extends keyof E>(event: K): number {
    return this.#listeners.get(event)?.size ?? 0;
  }

  /** Returns true when at least one listener was called. */
  protected emit<K extends keyof E>(event: K, ...args: E[K]): boolean {
    const set = this.#listeners.get(event);
    if (!set || set.size === 0) return false;
    for (const listener of [...set]) {
      try {
        listener(...args);
      } catch (err) {
        try {
          TypedEmitter.onListenerError(err, String(event));
        } catch {
          // a broken error hook must not break emit either
        }
      }
    }
    return true;
  }
}
