import { Worker } from 'node:worker_threads';
import type { WorkerSettings } from './messages';
import { bundledWorkerEntry } from './worker-bundle';

/**
 * URL of the worker entry: the .ts source when running from source (tsx, vitest); in a server
 * bundled by scripts/build-server.ts (this module is then part of the bundle `here`), the
 * bundled worker next to it.
 */
export const workerEntryUrl = (here: string = import.meta.url): URL =>
  here.endsWith('.ts') ? new URL('../worker/main.ts', here) : new URL('./media-worker.mjs', here);

/**
 * V8 young generation of a media worker (MB): the forwarding path allocates short-lived buffers
 * at a high rate, and V8 would grow the semi-spaces to their 64-bit default (16 MB each) and keep
 * the pages; 8 MB keeps scavenges cheap and the thread's resident memory down (6x6 bench: about
 * 184 -> 162 MB for the whole host process).
 */
const YOUNG_GENERATION_MB = 8;

/**
 * Starts a media worker thread. A TypeScript entry is loaded through worker/bootstrap.mjs, which
 * registers tsx inside the thread (Node 20 ignores `--import tsx` in a Worker's execArgv for the
 * entry module itself); a compiled .js entry is started directly.
 */
export const spawnWorkerThread = (
  settings: WorkerSettings,
  entry: URL = workerEntryUrl(),
): Worker => {
  const workerData = { settings, entry: entry.href };
  const resourceLimits = { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB };
  if (entry.pathname.endsWith('.ts')) {
    return new Worker(new URL('../worker/bootstrap.mjs', import.meta.url), {
      workerData,
      resourceLimits,
    });
  }
  return new Worker(entry, { workerData, resourceLimits });
};

/**
 * Starts a media worker from the bundled entry (./worker-bundle.ts: no tsx in the thread, about
 * 20-39 MB less resident memory per worker) when running from TypeScript sources, else, or with
 * CONCLAVE_SFU_WORKER_BUNDLE=0, as spawnWorkerThread does.
 */
export const startWorkerThread = async (settings: WorkerSettings): Promise<Worker> => {
  const entry = workerEntryUrl();
  if (entry.pathname.endsWith('.ts') && process.env.CONCLAVE_SFU_WORKER_BUNDLE !== '0') {
    const bundled = await bundledWorkerEntry(entry);
    if (bundled) return spawnWorkerThread(settings, bundled);
  }
  return spawnWorkerThread(settings, entry);
};
