import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { MediaWorker } from './rtc/media-workers';
import type { Config } from './config/config';
import { publicBaseUrl } from './config/config';
import { buildApp } from './http/app';
import type { Logger } from './logger';
import { MeetingService } from './modules/meetings/meeting-service';
import type { MeetingStore } from './modules/meetings/meeting-store';
import { startMediaWorkers } from './rtc/media-workers';
import { selectRecognizer } from './rtc/captions/select-recognizer';
import { RoomRegistry } from './rtc/room-registry';
import { SignalingServer } from './signaling/signaling-server';

export interface RunningServer {
  url: string;
  port: number;
  app: FastifyInstance;
  rooms: RoomRegistry;
  signaling: SignalingServer;
  workers: MediaWorker[];
  /** Graceful shutdown: stop accepting, close meetings, close media workers and storage. */
  close(): Promise<void>;
}

export interface ServerParts {
  config: Config;
  logger: Logger;
  meetingStore: MeetingStore;
  db: Kysely<never> | Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Wires the server from already-opened parts; main.ts decides which storage adapter. */
export async function startServer(parts: ServerParts): Promise<RunningServer> {
  const { config, logger } = parts;
  const workers = await startMediaWorkers(config, logger);

  let port = config.port;
  let shuttingDown = false;
  const meetings = new MeetingService(parts.meetingStore);
  const rooms = new RoomRegistry({
    workers,
    logger,
    reconnectGraceMs: config.reconnectGraceSeconds * 1000,
    endMeeting: (id) => meetings.end(id),
    recognizer: selectRecognizer(config.captions),
  });
  const signaling = new SignalingServer({
    meetings,
    rooms,
    logger,
    idleTimeoutMs: 45_000,
    maxMessagesPerSecond: 50,
  });
  const app = await buildApp({
    logger,
    meetings,
    signaling,
    webRoot: config.webRoot,
    baseUrl: () => publicBaseUrl(config, port),
    isHealthy: () => !shuttingDown,
    ...(config.tls
      ? {
          https: { cert: readFileSync(config.tls.certFile), key: readFileSync(config.tls.keyFile) },
        }
      : {}),
  });
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  port = typeof address === 'object' && address ? address.port : config.port;
  const url = `${config.tls ? 'https' : 'http'}://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    app,
    rooms,
    signaling,
    workers,
    close() {
      closing ??= (async () => {
        shuttingDown = true;
        signaling.closeAll();
        await rooms.closeAll();
        await app.close();
        await Promise.all(workers.map((w) => w.close()));
        await parts.db.destroy();
      })();
      return closing;
    },
  };
}

export function dataFile(config: Config, name: string): string {
  return join(config.dataDir, name);
}
