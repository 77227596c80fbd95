// The shared/ folder sits next to the repository folder (CI clones the repo elsewhere with
// shared/ beside it), so vectors are read from there at test time, never copied in.
import { readFileSync } from 'node:fs';

export const SHARED_VECTORS = new URL('../../../../../shared/vectors/', import.meta.url);

export function readVectorJson<T>(relative: string): T {
  return JSON.parse(readFileSync(new URL(relative, SHARED_VECTORS), 'utf8')) as T;
}
