import { decodeServerMessage, encodeMessage } from '@conclave/protocol';
import type { ClientMessage, ServerEvent } from '@conclave/protocol';
import { ConnectionClosedError, errorFromBody, InvalidStateError } from '../errors';
import { TypedEmitter } from '../typed-emitter';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type ClientRequest = DistributiveOmit<ClientMessage, 'id'>;

export type SignalClientEvents = {
  event: [ServerEvent];
  /** The socket closed; `code` 1000 means on purpose. */
  close: [{ code: number; reason: string }];
  /** A frame from the server did not decode (a bug or a version mismatch). */
  protocolError: [string];
};

export interface SignalClientOptions {
  requestTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  WebSocket?: typeof WebSocket;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

/** One signaling WebSocket: requests with ids and typed results, events, heartbeats. */
export class SignalClient extends TypedEmitter<SignalClientEvents> {
  readonly #socket: WebSocket;
  readonly #pending = new Map<string, Pending>();
  readonly #timeoutMs: number;
  #nextId = 1;
  #heartbeat: ReturnType<typeof setInterval> | undefined;
  #closed = false;

  private constructor(socket: WebSocket, opts: SignalClientOptions) {
    super();
    this.#socket = socket;
    this.#timeoutMs = opts.requestTimeoutMs ?? 15_000;
    socket.addEventListener('message', (ev: MessageEvent) => this.#onMessage(ev.data));
    socket.addEventListener('close', (ev: CloseEvent) => this.#onClose(ev.code, ev.reason));
    this.#heartbeat = setInterval(() => {
      this.request({ type: 'heartbeat' }).catch(() => undefined);
    }, opts.heartbeatIntervalMs ?? 10_000);
  }

  /** Opens the socket; rejects if it cannot connect within the timeout. */
  static connect(url: string, opts: SignalClientOptions = {}): Promise<SignalClient> {
    const WS = opts.WebSocket ?? globalThis.WebSocket;
    return new Promise((resolve, reject) => {
      const socket = new WS(url);
      const timer = setTimeout(() => {
        socket.close();
        reject(new ConnectionClosedError('Could not reach the server.'));
      }, opts.requestTimeoutMs ?? 10_000);
      socket.addEventListener('open', () => {
        clearTimeout(timer);
        resolve(new SignalClient(socket, opts));
      });
      socket.addEventListener('error', () => {
        clearTimeout(timer);
        reject(new ConnectionClosedError('Could not reach the server.'));
      });
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  request<T = unknown>(message: ClientRequest): Promise<T> {
    if (this.#closed)
      return Promise.reject(new InvalidStateError('The signaling connection is closed.'));
    const id = `r${this.#nextId++}`;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new ConnectionClosedError(`No answer to ${message.type} in time.`));
      }, this.#timeoutMs);
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      this.sendRaw(encodeMessage({ ...message, id }));
    });
  }

  /** Sends a frame as is (tests use it to send malformed input). */
  sendRaw(frame: string): void {
    if (this.#socket.readyState === this.#socket.OPEN) this.#socket.send(frame);
  }

  close(): void {
    if (this.#closed) return;
    this.#socket.close(1000, 'bye');
    this.#onClose(1000, 'bye');
  }

  #onMessage(data: unknown): void {
    if (typeof data !== 'string') return;
    const decoded = decodeServerMessage(data);
    if (!decoded.ok) {
      this.emit('protocolError', decoded.error.message);
      return;
    }
    const msg = decoded.message;
    if (msg.type === 'response') {
      const pending = msg.requestId ? this.#pending.get(msg.requestId) : undefined;
      if (!pending) {
        if (!msg.ok) this.emit('protocolError', `${msg.error.code}: ${msg.error.message}`);
        return;
      }
      this.#pending.delete(msg.requestId!);
      clearTimeout(pending.timer);
      if (msg.ok) pending.resolve(msg.result);
      else pending.reject(errorFromBody(msg.error));
      return;
    }
    this.emit('event', msg);
  }

  #onClose(code: number, reason: string): void {
    if (this.#closed && code !== 1000) return;
    const first = !this.#closed;
    this.#closed = true;
    clearInterval(this.#heartbeat);
    for (const p of this.#pending.values()) {
      clearTimeout(p.timer);
      p.reject(new ConnectionClosedError('The connection closed.'));
    }
    this.#pending.clear();
    if (first) this.emit('close', { code, reason });
  }
}
