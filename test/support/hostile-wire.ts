// TEST ONLY: the wire between one client and the server, in the server's hands. Whatever the
// server could do to what a client receives or sends (drop, alter, replay, forge, reorder) a test
// does here, to the real client code. Never part of the server: a malicious server needs no hook.
import type WebSocket from 'ws';

export type Frame = Record<string, unknown> & { type?: string };

export interface WireTap {
  /** Server -> client: the frames to deliver instead of `frame` ([] drops it). */
  incoming?: (frame: Frame) => Frame[];
  /** Client -> server: the frames to send instead of `frame`. */
  outgoing?: (frame: Frame) => Frame[];
}

export class HostileWire {
  tap: WireTap = {};
  /** Every frame the client received, after the tap (for replays). */
  readonly received: Frame[] = [];
  #deliver: ((f: Frame) => void) | undefined;

  /** Delivers a frame the server never sent through its own logic (a forgery or a replay). */
  inject(frame: Frame): void {
    if (!this.#deliver) throw new Error('the client has no signaling connection yet');
    this.#deliver(frame);
  }

  /** A WebSocket class for RoomClient whose traffic goes through this wire. */
  webSocket(Base: typeof WebSocket): typeof WebSocket {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const wire = this;
    const Loose = Base as unknown as new (...args: unknown[]) => {
      addEventListener(type: string, listener: unknown, options?: unknown): void;
      send(data: unknown, ...rest: unknown[]): void;
    };
    class Tapped extends Loose {
      override addEventListener(type: string, listener: unknown, options?: unknown): void {
        if (type !== 'message') {
          super.addEventListener(type, listener, options);
          return;
        }
        const onMessage = listener as (ev: { data: unknown }) => void;
        const deliver = (f: Frame) => {
          wire.received.push(f);
          onMessage({ data: JSON.stringify(f) });
        };
        wire.#deliver = deliver;
        super.addEventListener(
          'message',
          (ev: { data: unknown }) => {
            const frame = JSON.parse(String(ev.data)) as Frame;
            for (const f of wire.tap.incoming?.(frame) ?? [frame]) deliver(f);
          },
          options,
        );
      }

      override send(data: unknown, ...rest: unknown[]): void {
        if (typeof data !== 'string' || !wire.tap.outgoing) {
          super.send(data, ...rest);
          return;
        }
        for (const f of wire.tap.outgoing(JSON.parse(data) as Frame))
          super.send(JSON.stringify(f), ...rest);
      }
    }
    return Tapped as unknown as typeof WebSocket;
  }
}

/** Flips bits in the middle of a base64 MLS message: it no longer decodes or decrypts. */
export function corruptBase64(b64: string): string {
  const bytes = Buffer.from(b64, 'base64');
  const at = Math.floor(bytes.length / 2);
  for (let i = at; i < Math.min(at + 8, bytes.length); i++) bytes[i]! ^= 0xa5;
  return bytes.toString('base64');
}
