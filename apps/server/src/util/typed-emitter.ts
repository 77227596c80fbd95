/**
 * A typed event emitter whose emit never throws: a failing listener goes to `onError` and the
 * others still run (mediasoup's safeEmit; the client package has the same class).
 */
export type EventMap = Record<string, unknown[]>;

export class TypedEmitter<E extends EventMap> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly #listeners = new Map<keyof E, Set<(...args: any[]) => void>>();
  onError: (err: unknown) => void = () => undefined;

  on<K extends keyof E>(event: K, listener: (...args: E[K]) => void): () => void {
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => this.#listeners.get(event)?.delete(listener);
  }

  protected emit<K extends keyof E>(event: K, ...args: E[K]): void {
    for (const listener of [...(this.#listeners.get(event) ?? [])]) {
      try {
        listener(...args);
      } catch (err) {
        this.onError(err);
      }
    }
  }
}
