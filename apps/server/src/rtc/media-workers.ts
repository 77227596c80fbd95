import { MediaWorker } from '@conclave/sfu';
import type { Config } from '../config/config';
import type { Logger } from '../logger';

/** Starts the media workers (one per core by default); each room is pinned to one of them. */
export async function startMediaWorkers(config: Config, logger: Logger): Promise<MediaWorker[]> {
  const workers = await Promise.all(
    Array.from({ length: config.media.workers }, () =>
      MediaWorker.create({
        iceServers: config.ice.servers,
        iceAdditionalHostAddresses: config.ice.additionalHostAddresses,
        keyframeRequestMinIntervalMs: config.media.keyframeRequestMinIntervalMs,
        inspection: config.media.inspection,
      }),
    ),
  );
  for (const w of workers)
    w.on('died', (err: unknown) => logger.fatal({ err }, 'media worker died'));
  // which AES-GCM the SRTP fast path uses: the native context per key, or node:crypto's fallback
  if (workers[0]) logger.info({ srtpAead: workers[0].srtpAead }, 'media workers started');
  return workers;
}
export type { MediaWorker };
