// Loads a TypeScript worker entry through tsx: Node 20 does not apply `--import tsx` to a
// Worker's own entry module (as packages/sfu/src/worker/bootstrap.mjs explains).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
