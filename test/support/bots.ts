import { InProcessE2eeWorker, RoomClient } from '@conclave/client';
import type { DeviceKeyStore, E2eeView } from '@conclave/client';
import { createNodeBackend } from '@conclave/e2ee/node';
import type { MeetingId } from '@conclave/protocol';
import WebSocket from 'ws';
import type { HostileWire } from './hostile-wire';

/** Every frame a bot sent to the server, as the server received it. */
export const sentFrames: string[] = [];

class RecordingWebSocket extends WebSocket {
  override send(data: unknown, ...rest: unknown[]): void {
    if (typeof data === 'string') sentFrames.push(data);
    (super.send as (...a: unknown[]) => void)(data, ...rest);
  }
}

export interface Bot {
  room: RoomClient;
  worker: InProcessE2eeWorker;
  name: string;
}

/** A Node participant with real signaling and real MLS/SFrame, but no WebRTC media. */
export async function joinBot(
  baseUrl: string,
  meetingId: string,
  name: string,
  hostKey?: string,
  opts: {
    wire?: HostileWire;
    passcode?: string;
    /** Signed in: the session cookie sent with the WebSocket upgrade (ApiClient.cookies). */
    cookie?: string;
    /** The bot's device: its long-term device keys and the people it has met. */
    deviceKeys?: DeviceKeyStore;
  } = {},
): Promise<Bot> {
  const worker = new InProcessE2eeWorker(createNodeBackend(), opts.deviceKeys);
  const cookie = opts.cookie;
  const Base = (
    cookie
      ? class extends RecordingWebSocket {
          constructor(url: string | URL) {
            super(url, { headers: { cookie } });
          }
        }
      : RecordingWebSocket
  ) as typeof WebSocket;
  const room = new RoomClient({
    signalingUrl: `${baseUrl.replace(/^http/, 'ws')}/ws`,
    meetingId: meetingId as MeetingId,
    displayName: name,
    ...(hostKey ? { hostKey } : {}),
    ...(opts.passcode ? { passcode: opts.passcode } : {}),
    media: false,
    WebSocket: (opts.wire
      ? opts.wire.webSocket(Base)
      : Base) as unknown as typeof globalThis.WebSocket,
    capabilities: { encodedTransform: 'native', mlsCiphersuites: [1], clientLabel: 'Conclave bot' },
    createE2eeWorker: () => worker as unknown as Worker,
  });
  await room.join();
  return { room, worker, name };
}

/** The Cookie header an ApiClient holds after signing in. */
export function cookieOf(api: { cookies: Map<string, string> }): string {
  return [...api.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
}

/** Resolves when the bot's own E2EE view passes `check`. */
export function waitForView(
  bot: Bot,
  check: (v: E2eeView) => boolean,
  timeoutMs = 20_000,
): Promise<E2eeView> {
  if (check(bot.room.e2ee.view)) return Promise.resolve(bot.room.e2ee.view);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(
        new Error(
          `${bot.name}: E2EE view did not reach the expected state: ${JSON.stringify(bot.room.e2ee.view.local)}`,
        ),
      );
    }, timeoutMs);
    const off = bot.room.on('e2ee', (v) => {
      if (!check(v)) return;
      clearTimeout(timer);
      off();
      resolve(v);
    });
  });
}
