import { PROTOCOL_VERSION } from '@conclave/protocol';
import WebSocket from 'ws';

/** A bare signaling client for scenario tests: raw frames in, parsed JSON out. */
export class WsClient {
  readonly messages: Record<string, unknown>[] = [];
  readonly #socket: WebSocket;
  #waiters: {
    check: (m: Record<string, unknown>) => boolean;
    resolve: (m: Record<string, unknown>) => void;
  }[] = [];
  #id = 0;
  closed: Promise<{ code: number }>;

  private constructor(socket: WebSocket, responsesOnly: boolean) {
    this.#socket = socket;
    socket.on('message', (data: Buffer) => {
      // A silent device in a big bench: events (Welcomes of hundreds of KB) are not even parsed.
      if (responsesOnly && !data.subarray(0, 32).toString().startsWith('{"type":"response"'))
        return;
      const msg = JSON.parse(data.toString()) as Record<string, unknown>;
      this.messages.push(msg);
      this.#waiters = this.#waiters.filter((w) => (w.check(msg) ? (w.resolve(msg), false) : true));
    });
    this.closed = new Promise((resolve) => socket.on('close', (code) => resolve({ code })));
  }

  static connect(baseUrl: string, opts: { responsesOnly?: boolean } = {}): Promise<WsClient> {
    const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/ws`);
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(new WsClient(socket, opts.responsesOnly ?? false)));
      socket.once('error', reject);
    });
  }

  sendRaw(frame: string | Buffer): void {
    this.#socket.send(frame);
  }

  /** Waits for the first message (already received or coming) that matches. */
  next(
    check: (m: Record<string, unknown>) => boolean,
    timeoutMs = 5000,
  ): Promise<Record<string, unknown>> {
    const seen = this.messages.find(check);
    if (seen) {
      this.messages.splice(this.messages.indexOf(seen), 1);
      return Promise.resolve(seen);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('timed out waiting for a message')),
        timeoutMs,
      );
      this.#waiters.push({
        check,
        resolve: (m) => {
          clearTimeout(timer);
          this.messages.splice(this.messages.indexOf(m), 1);
          resolve(m);
        },
      });
    });
  }

  async request(body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const id = `t${++this.#id}`;
    this.sendRaw(JSON.stringify({ ...body, id }));
    return this.next((m) => m.type === 'response' && m.requestId === id);
  }

  join(meetingId: string, displayName: string, extra: Record<string, unknown> = {}) {
    return this.request({
      type: 'join',
      protocolVersion: PROTOCOL_VERSION,
      meetingId,
      displayName,
      ...extra,
    });
  }

  terminate(): void {
    this.#socket.terminate();
  }

  close(): void {
    this.#socket.close();
  }
}
