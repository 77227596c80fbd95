import { Worker } from 'node:worker_threads';
import type { WorkerSettings } from './messages';

/** URL of the worker entry: the .ts source when running from source (tsx, vitest). */
export const workerEntryUrl = (): URL => new URL('../worker/main.ts', import.meta.url);

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
  if (entry.pathname.endsWith('.ts')) {
    return new Worker(new URL('../worker/bootstrap.mjs', import.meta.url), { workerData });
  }
  return new Worker(entry, { workerData });
};
