/**
 * Cross-node events (issue 19): a change made through any node that a live meeting must see.
 * Messages carry a reference (an account or meeting id), never the data itself: the receiving
 * node reads the current state from the database, so a lost or repeated message is harmless.
 */
export type ClusterMessage =
  /** An account's plan or admin settings changed: push them into its live rooms. */
  { type: 'account.settings'; accountId: string };

export interface ClusterBus {
  /** Delivers the message to every node, this one included. */
  publish(message: ClusterMessage): Promise<void>;
  /** Every message published by any node. */
  subscribe(handler: (message: ClusterMessage) => void): void;
  close(): Promise<void>;
}

/** One process: delivery is a function call (single-node default and unit tests). */
export class LocalBus implements ClusterBus {
  readonly #handlers: ((m: ClusterMessage) => void)[] = [];
  publish(message: ClusterMessage): Promise<void> {
    for (const h of this.#handlers) h(message);
    return Promise.resolve();
  }
  subscribe(handler: (message: ClusterMessage) => void): void {
    this.#handlers.push(handler);
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** Parses a message from the wire; undefined for anything that is not one (never trusted). */
export function parseClusterMessage(text: string): ClusterMessage | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const m = v as Record<string, unknown>;
  const str = (k: string) => typeof m[k] === 'string' && m[k].length <= 100;
  if (m.type === 'account.settings' && str('accountId'))
    return { type: m.type, accountId: m.accountId as string };
  return undefined;
}
