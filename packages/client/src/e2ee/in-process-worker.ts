import type { CryptoBackend } from '@conclave/e2ee';
import type { DeviceKeyStore } from './device-keys';
import { E2eeEngine } from './engine';
import { changesKeys, handleRequest } from './worker/dispatch';
import { parseWorkerInbound } from './worker/messages';
import type { WorkerOutbound } from './worker/messages';

/**
 * A Worker look-alike that runs the E2EE engine in the same thread, for Node bots and tests
 * (Node has no encoded transforms; bots seal frames themselves). Same messages, same checks.
 */
export class InProcessE2eeWorker extends EventTarget {
  readonly engine: E2eeEngine;
  #terminated = false;

  /** `deviceKeys`: this bot's own long-term device keys and the people it has met. */
  constructor(backend: CryptoBackend, deviceKeys?: DeviceKeyStore) {
    super();
    this.engine = new E2eeEngine({ backend, ...(deviceKeys ? { deviceKeys } : {}) });
    this.engine.onKeyFrameNeeded = () => this.#post({ kind: 'keyFrameNeeded' });
  }

  postMessage(data: unknown): void {
    const msg = parseWorkerInbound(structuredClone(data));
    if (!msg || msg.kind === 'attachStreams' || this.#terminated) return;
    handleRequest(this.engine, msg).then(
      (value) => {
        this.#post({ kind: 'result', id: msg.id, ok: true, value });
        if (changesKeys(msg))
          this.#post({
            kind: 'status',
            status: this.engine.status(),
            counters: { ...this.engine.counters },
          });
      },
      (err: unknown) =>
        this.#post({
          kind: 'result',
          id: msg.id,
          ok: false,
          error: err instanceof Error ? `${err.name}: ${err.message}` : 'failed',
        }),
    );
  }

  #post(message: WorkerOutbound): void {
    if (this.#terminated) return;
    // Asynchronous like a real worker, so callers never see re-entrant replies.
    queueMicrotask(() => this.dispatchEvent(new MessageEvent('message', { data: message })));
  }

  terminate(): void {
    this.#terminated = true;
  }
}
