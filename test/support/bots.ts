import { InProcessE2eeWorker, RoomClient } from '@conclave/client';
import type { E2eeView } from '@conclave/client';
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
  opts: { wire?: HostileWire; passcode?: string } = {},
): Promise<Bot> {
  const worker = new InProcessE2eeWorker(createNodeBackend());
  const room = new RoomClient({
    signalingUrl: `${baseUrl.replace(/^http/, 'ws')}/ws`,
    meetingId: meetingId as MeetingId,
    displayName: name,
    ...(hostKey ? { hostKey } : {}),
    ...(opts.passcode ? { passcode: opts.passcode } : {}),
    media: false,
    WebSocket: (opts.wire
      ? opts.wire.webSocket(RecordingWebSocket)
      : RecordingWebSocket) as unknown as typeof globalThis.WebSocket,
    capabilities: { encodedTransform: 'native', mlsCiphersuites: [1], clientLabel: 'Conclave bot' },
    createE2eeWorker: () => worker as unknown as Worker,
  });
  await room.join();
  return { room, worker, name };
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
