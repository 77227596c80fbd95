import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { finishRecordingRotation, RecordingResealError, resealRecordings } from './reseal';
import { openSealed, recordingKey, SealedFileWriter } from './sealed-file';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tmp() {
  const d = mkdtempSync(join(tmpdir(), 'reseal-'));
  dirs.push(d);
  return d;
}
async function write(path: string, key: Buffer, parts: Buffer[], cut = false) {
  const w = await SealedFileWriter.create(path, key);
  for (const p of parts) {
    w.write(p);
    await w.flush();
  }
  return w.close({ cut });
}
async function read(path: string, key: Buffer) {
  const o = openSealed(path, key);
  const out: Buffer[] = [];
  for await (const c of o.chunks) out.push(c);
  return { data: Buffer.concat(out), complete: o.complete() };
}

describe('re-sealing recordings under a new key', () => {
  const oldKey = recordingKey(randomBytes(32));
  const newKey = recordingKey(randomBytes(32));

  it('keeps every byte, keeps a cut file cut, and is finished by the rename step', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'rec1'));
    const a = [randomBytes(5000), randomBytes(70)];
    await write(join(dir, 'rec1', 'composed.webm'), oldKey, a);
    await write(join(dir, 'rec1', 'alice.track'), oldKey, [randomBytes(900)], true);

    expect(await resealRecordings(dir, oldKey, newKey)).toBe(2);
    // Before the commit nothing changed: the originals still open with the old key.
    expect((await read(join(dir, 'rec1', 'composed.webm'), oldKey)).data).toEqual(Buffer.concat(a));
    expect(await finishRecordingRotation(dir, newKey)).toEqual({ renamed: 2, discarded: 0 });
    const composed = await read(join(dir, 'rec1', 'composed.webm'), newKey);
    expect(composed).toEqual({ data: Buffer.concat(a), complete: true });
    const track = await read(join(dir, 'rec1', 'alice.track'), newKey);
    expect(track.complete).toBe(false);
    expect(track.data.length).toBe(900);
    await expect(read(join(dir, 'rec1', 'composed.webm'), oldKey)).rejects.toThrow(/does not open/);
    expect(statSync(join(dir, 'rec1', 'composed.webm')).mode & 0o777).toBe(0o600);
  });

  it('refuses all of it when one file does not open, and leaves no half rotation', async () => {
    const dir = tmp();
    await write(join(dir, 'good.webm'), oldKey, [randomBytes(100)]);
    await write(join(dir, 'foreign.webm'), recordingKey(randomBytes(32)), [randomBytes(100)]);
    await expect(resealRecordings(dir, oldKey, newKey)).rejects.toThrow(RecordingResealError);
    await expect(resealRecordings(dir, oldKey, newKey)).rejects.toThrow(/foreign\.webm/);
    expect(existsSync(join(dir, 'good.webm.rotating'))).toBe(false);
    expect((await read(join(dir, 'good.webm'), oldKey)).complete).toBe(true);
  });

  it('a rotation that never committed is undone at the next start', async () => {
    const dir = tmp();
    const data = randomBytes(300);
    await write(join(dir, 'x.webm'), oldKey, [data]);
    await resealRecordings(dir, oldKey, newKey);
    // The database commit never happened: the server starts again with the old key.
    expect(await finishRecordingRotation(dir, oldKey)).toEqual({ renamed: 0, discarded: 1 });
    expect((await read(join(dir, 'x.webm'), oldKey)).data).toEqual(data);
    expect(existsSync(join(dir, 'x.webm.rotating'))).toBe(false);
  });

  it('a file damaged mid-chunk re-seals what opens (the cut tail stays cut)', async () => {
    const dir = tmp();
    const path = join(dir, 'crash.track');
    await write(path, oldKey, [randomBytes(400), randomBytes(400)]);
    // close() wrote an empty last chunk (4 + 1 + 12 + 16 bytes): cut into the second data chunk.
    truncateSync(path, statSync(path).size - 33 - 10);
    await resealRecordings(dir, oldKey, newKey);
    await finishRecordingRotation(dir, newKey);
    const r = await read(path, newKey);
    expect(r).toMatchObject({ complete: false });
    expect(r.data.length).toBe(400);
  });
});
