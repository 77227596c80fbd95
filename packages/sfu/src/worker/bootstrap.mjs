// Loads the TypeScript worker entry through tsx. Node 20 does not apply `--import tsx` from a
// Worker's execArgv to the worker's own entry module (ERR_UNKNOWN_FILE_EXTENSION, verified), so the
// hooks are registered here, in plain JavaScript, before importing the .ts entry.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
