import { open, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { openSealed, SealedFileError, SealedFileWriter } from './sealed-file';

// Rotating the server secret key re-seals every recording file under the new key (README
// "Secrets at rest"). The rotation writes `<file>.rotating` beside each sealed file first, commits
// the database and the key, then renames. A crash in between is finished at the next start (or the
// next rotation) by `finishRecordingRotation`: a `.rotating` file that opens with the key in use
// replaces its original; one that does not (the rotation never committed) is discarded.

export const ROTATING_SUFFIX = '.rotating';
const MAGIC = Buffer.from('CNCLREC1', 'ascii');

/** A recording file the current key cannot open: the rotation stops before changing anything. */
export class RecordingResealError extends Error {
  override name = 'RecordingResealError';
}

async function* files(dir: string): AsyncGenerator<string> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* files(p);
    else if (e.isFile()) yield p;
  }
}

async function isSealed(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(MAGIC.length);
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    return bytesRead === head.length && head.equals(MAGIC);
  } finally {
    await fh.close();
  }
}

/** Whether the first chunk of a sealed file authenticates under `key` (no chunk: nothing to check). */
async function opensWith(path: string, key: Buffer): Promise<boolean> {
  const { chunks } = openSealed(path, key);
  try {
    await chunks.next();
    await chunks.return(undefined);
    return true;
  } catch {
    return false;
  }
}

/** Copies one sealed file under another key, chunk by chunk; a cut file stays cut. */
export async function resealFile(src: string, dst: string, from: Buffer, to: Buffer) {
  const opened = openSealed(src, from);
  const writer = await SealedFileWriter.create(dst, to);
  try {
    for await (const chunk of opened.chunks) {
      writer.write(chunk);
      await writer.flush();
    }
  } catch (err) {
    await writer.close({ cut: true }).catch(() => undefined);
    throw err;
  }
  return writer.close({ cut: !opened.complete() });
}

/**
 * Writes `<file>.rotating` under `to` for every sealed file below `dir`; all or nothing: on any
 * failure the `.rotating` files are removed and the error names the file. Returns how many.
 */
export async function resealRecordings(dir: string, from: Buffer, to: Buffer): Promise<number> {
  let n = 0;
  try {
    for await (const path of files(dir)) {
      if (path.endsWith(ROTATING_SUFFIX) || !(await isSealed(path))) continue;
      try {
        await resealFile(path, path + ROTATING_SUFFIX, from, to);
      } catch (err) {
        const why = err instanceof SealedFileError ? err.message : String(err);
        throw new RecordingResealError(
          `Nothing was rotated: the recording file ${path} could not be re-sealed (${why}).`,
        );
      }
      n++;
    }
  } catch (err) {
    await discardRotation(dir);
    throw err;
  }
  return n;
}

/** Removes every `.rotating` file below `dir` (a rotation that did not commit). */
export async function discardRotation(dir: string): Promise<void> {
  for await (const path of files(dir))
    if (path.endsWith(ROTATING_SUFFIX)) await rm(path, { force: true });
}

/**
 * Completes or undoes an interrupted rotation: each `.rotating` file that opens with `key` (the
 * key now in use) replaces its original; the others are discarded.
 */
export async function finishRecordingRotation(dir: string, key: Buffer) {
  let renamed = 0;
  let discarded = 0;
  for await (const path of files(dir)) {
    if (!path.endsWith(ROTATING_SUFFIX)) continue;
    if (await opensWith(path, key)) {
      await rename(path, path.slice(0, -ROTATING_SUFFIX.length));
      renamed++;
    } else {
      await rm(path, { force: true });
      discarded++;
    }
  }
  return { renamed, discarded };
}
