/**
 * Media worker entry point (runs inside a worker_threads Worker). Receives WorkerSettings as
 * workerData, answers requests from the main thread, and posts 'ready' once listening.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { WorkerMessage, WorkerSettings } from '../channel/messages';
import { aeadImplementation } from './fastpath/aead-context';
import { WorkerRuntime } from './runtime';

const port = parentPort;
if (!port) throw new Error('worker/main.ts must run in a worker thread');

const settings = (workerData as { settings: WorkerSettings }).settings;
const runtime = new WorkerRuntime(settings, (message: WorkerMessage) => port.postMessage(message));

port.on('message', (raw: unknown) => {
  void runtime.handleMessage(raw);
});
port.postMessage({ kind: 'ready', aead: aeadImplementation() } satisfies WorkerMessage);
