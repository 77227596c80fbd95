/**
 * A minimal Janus HTTP API client for the bench: one session, long-poll for asynchronous events
 * (matched by transaction), and the VideoRoom requests the bench needs (Janus 1.x multistream API:
 * create, joinandconfigure as publisher, join as subscriber to many feeds, start).
 */
import { randomUUID } from 'node:crypto';

interface JanusMessage {
  janus: string;
  transaction?: string;
  data?: { id: number };
  error?: { code: number; reason: string };
  plugindata?: { data: Record<string, unknown> };
  jsep?: { type: string; sdp: string };
}

export class JanusSession {
  readonly #url: string;
  readonly #waiters = new Map<string, (msg: JanusMessage) => void>();
  #sessionId = 0;
  #closed = false;

  private constructor(url: string) {
    this.#url = url;
  }

  static async create(url: string): Promise<JanusSession> {
    const session = new JanusSession(url);
    const res = await session.#post(url, { janus: 'create' });
    session.#sessionId = res.data!.id;
    void session.#poll();
    return session;
  }

  async #post(url: string, body: Record<string, unknown>): Promise<JanusMessage> {
    const transaction = randomUUID();
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...body, transaction }),
    });
    const msg = (await res.json()) as JanusMessage;
    if (msg.janus === 'error') throw new Error(`janus: ${msg.error?.reason ?? 'error'}`);
    return { ...msg, transaction };
  }

  async #poll(): Promise<void> {
    while (!this.#closed) {
      try {
        const res = await fetch(`${this.#url}/${this.#sessionId}?maxev=10`);
        const body = (await res.json()) as JanusMessage | JanusMessage[];
        for (const msg of Array.isArray(body) ? body : [body]) {
          if (msg.transaction && msg.janus === 'event') {
            this.#waiters.get(msg.transaction)?.(msg);
            this.#waiters.delete(msg.transaction);
          }
        }
      } catch {
        if (!this.#closed) await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  async attach(): Promise<number> {
    const res = await this.#post(`${this.#url}/${this.#sessionId}`, {
      janus: 'attach',
      plugin: 'janus.plugin.videoroom',
    });
    return res.data!.id;
  }

  /** A synchronous plugin request (create, ...): returns the plugin's data. */
  async request(handle: number, body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const res = await this.#post(`${this.#url}/${this.#sessionId}/${handle}`, {
      janus: 'message',
      body,
    });
    const data = res.plugindata?.data ?? {};
    if (typeof data.error === 'string') throw new Error(`videoroom: ${data.error}`);
    return data;
  }

  /** An asynchronous plugin request: resolves with the event that answers it. */
  async message(
    handle: number,
    body: Record<string, unknown>,
    jsep?: { type: string; sdp: string },
  ): Promise<JanusMessage> {
    const transaction = randomUUID();
    const event = new Promise<JanusMessage>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('janus: no event in 15 s')), 15_000);
      this.#waiters.set(transaction, (msg) => {
        clearTimeout(timer);
        resolve(msg);
      });
    });
    const res = await fetch(`${this.#url}/${this.#sessionId}/${handle}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ janus: 'message', body, jsep, transaction }),
    });
    const ack = (await res.json()) as JanusMessage;
    if (ack.janus === 'error') throw new Error(`janus: ${ack.error?.reason ?? 'error'}`);
    const msg = await event;
    const data = msg.plugindata?.data ?? {};
    if (typeof data.error === 'string') throw new Error(`videoroom: ${data.error}`);
    return msg;
  }

  /** Tells Janus our candidates are all in the SDP (non-trickle clients). */
  async endOfCandidates(handle: number): Promise<void> {
    await this.#post(`${this.#url}/${this.#sessionId}/${handle}`, {
      janus: 'trickle',
      candidate: { completed: true },
    });
  }

  async destroy(): Promise<void> {
    this.#closed = true;
    await this.#post(`${this.#url}/${this.#sessionId}`, { janus: 'destroy' }).catch(() => {});
  }
}
