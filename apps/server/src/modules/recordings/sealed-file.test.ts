import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  openSealed,
  recordingKey,
  SealedFileError,
  SealedFileWriter,
  sealedRange,
} from './sealed-file';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'sealed-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function readAll(path: string, key: Buffer) {
  const opened = openSealed(path, key);
  const parts: Buffer[] = [];
  for await (const c of opened.chunks) parts.push(c);
  return { data: Buffer.concat(parts), complete: opened.complete() };
}

describe('sealed recording files', () => {
  const key = recordingKey(randomBytes(32));

  it('round-trips, and the file on disk holds no plaintext', async () => {
    const path = join(tmp(), 'a.track');
    const w = await SealedFileWriter.create(path, key);
    const plain = Buffer.from('conclave-plaintext-marker '.repeat(200));
    w.write(plain.subarray(0, 1000));
    await w.flush();
    w.write(plain.subarray(1000));
    const summary = await w.close();
    expect(summary.bytes).toBe(plain.length);
    expect(readFileSync(path).includes(Buffer.from('plaintext-marker'))).toBe(false);
    const back = await readAll(path, key);
    expect(back.data.equals(plain)).toBe(true);
    expect(back.complete).toBe(true);
  });

  it('a file cut mid-chunk (kill -9) opens up to its last whole chunk and says it is incomplete', async () => {
    const path = join(tmp(), 'b.track');
    const w = await SealedFileWriter.create(path, key);
    w.write(Buffer.alloc(500, 1));
    await w.flush();
    w.write(Buffer.alloc(500, 2));
    await w.flush();
    const cutAt = statSync(path).size - 10;
    w.write(Buffer.alloc(500, 3));
    await w.close();
    truncateSync(path, cutAt);
    const back = await readAll(path, key);
    expect(back.data.length).toBe(500);
    expect(back.complete).toBe(false);
  });

  it('refuses an altered chunk, another key, and a file that is not a recording', async () => {
    const path = join(tmp(), 'c.track');
    const w = await SealedFileWriter.create(path, key);
    w.write(Buffer.alloc(100, 7));
    await w.close();
    await expect(readAll(path, recordingKey(randomBytes(32)))).rejects.toBeInstanceOf(
      SealedFileError,
    );
    const bytes = readFileSync(path);
    bytes[bytes.length - 20]! ^= 1;
    writeFileSync(path, bytes);
    await expect(readAll(path, key)).rejects.toBeInstanceOf(SealedFileError);
    const other = join(tmp(), 'd.txt');
    writeFileSync(other, 'hello world, not a recording');
    await expect(readAll(other, key)).rejects.toBeInstanceOf(SealedFileError);
  });

  it('serves byte ranges across chunk boundaries', async () => {
    const path = join(tmp(), 'e.track');
    const w = await SealedFileWriter.create(path, key);
    const plain = randomBytes(3000);
    for (let i = 0; i < 3000; i += 700) {
      w.write(plain.subarray(i, i + 700));
      await w.flush();
    }
    await w.close();
    const parts: Buffer[] = [];
    for await (const c of sealedRange(path, key, 650, 1500)) parts.push(c as Buffer);
    expect(Buffer.concat(parts).equals(plain.subarray(650, 1501))).toBe(true);
  });
});
