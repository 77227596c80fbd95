import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';

// Recordings at rest (DESIGN.md §8): every recording file is sealed with AES-256-GCM (NIST SP
// 800-38D) under a key derived from the server secret key, as TOTP seeds are (column-cipher.ts),
// but in chunks, so a recording written live survives a crash: every chunk written before a
// kill -9 still opens, and only the unfinished tail is lost.
//
//   file   = magic "CNCLREC1" ‖ fileId (16 random bytes) ‖ chunk*
//   chunk  = length (u32 BE, plaintext bytes) ‖ flags (u8; 1 = last) ‖ nonce (12) ‖ C ‖ tag (16)
//   AAD    = "conclave recording v1" ‖ fileId ‖ index (u64 BE) ‖ flags
//   key    = HKDF-SHA256(server secret key, info "conclave recording-file v1")
//
// The file id and chunk index in the AAD stop chunks being reordered, dropped from the middle or
// moved to another file; the flag on the last chunk tells a complete file from a cut one.

const MAGIC = Buffer.from('CNCLREC1', 'ascii');
const FILE_ID_BYTES = 16;
const HEADER_BYTES = MAGIC.length + FILE_ID_BYTES;
const NONCE_BYTES = 12; // SP 800-38D §8.2.2: random 96-bit IVs
const TAG_BYTES = 16; // SP 800-38D §5.2.1.2: the full 128-bit tag
const CHUNK_HEADER_BYTES = 4 + 1 + NONCE_BYTES;
const FLAG_LAST = 1;
/** Largest plaintext chunk (bounds memory when reading a hostile or damaged file). */
export const MAX_CHUNK_BYTES = 4 * 1024 * 1024;
const HKDF_INFO = 'conclave recording-file v1';
const AAD_LABEL = Buffer.from('conclave recording v1', 'ascii');

/** The key recordings are sealed with, derived from the server secret key (never the key itself). */
export function recordingKey(secretKey: Uint8Array): Buffer {
  if (secretKey.length !== 32)
    throw new TypeError(`The secret key must be 32 bytes, got ${secretKey.length}.`);
  return Buffer.from(hkdfSync('sha256', secretKey, Buffer.alloc(0), HKDF_INFO, 32));
}

/** A recording file that is not ours, was altered, or was sealed under another secret key. */
export class SealedFileError extends Error {
  override name = 'SealedFileError';
}

function aad(fileId: Buffer, index: number, flags: number): Buffer {
  const tail = Buffer.alloc(9);
  tail.writeBigUInt64BE(BigInt(index), 0);
  tail.writeUInt8(flags, 8);
  return Buffer.concat([AAD_LABEL, fileId, tail]);
}

export interface SealedSummary {
  /** Plaintext bytes. */
  bytes: number;
  /** SHA-256 of the plaintext (what a download or a production hands over). */
  sha256: string;
}

/**
 * Appends plaintext to a sealed file. Bytes are buffered and sealed as one chunk on `flush()`
 * (call it every second or so while recording) or when the buffer is large; `close()` seals the
 * last chunk. Writes happen in order on one file handle.
 */
export class SealedFileWriter {
  readonly #fh: FileHandle;
  readonly #key: Buffer;
  readonly #fileId: Buffer;
  readonly #hash = createHash('sha256');
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #index = 0;
  #bytes = 0;
  #queue: Promise<void> = Promise.resolve();
  #closed = false;
  #error: Error | undefined;

  private constructor(fh: FileHandle, key: Buffer, fileId: Buffer) {
    this.#fh = fh;
    this.#key = key;
    this.#fileId = fileId;
  }

  static async create(path: string, key: Buffer): Promise<SealedFileWriter> {
    const fh = await open(path, 'wx', 0o600);
    const fileId = randomBytes(FILE_ID_BYTES);
    try {
      await fh.write(Buffer.concat([MAGIC, fileId]));
    } catch (err) {
      await fh.close();
      throw err;
    }
    return new SealedFileWriter(fh, key, fileId);
  }

  /** Plaintext bytes accepted so far. */
  get bytes(): number {
    return this.#bytes;
  }

  write(data: Uint8Array): void {
    if (this.#closed) throw new SealedFileError('The recording file is closed.');
    if (data.length === 0) return;
    this.#pending.push(Buffer.from(data));
    this.#pendingBytes += data.length;
    this.#bytes += data.length;
    this.#hash.update(data);
    if (this.#pendingBytes >= 1024 * 1024) void this.flush();
  }

  /** Seals what is buffered as one chunk and appends it; resolves once it is written. */
  flush(): Promise<void> {
    if (this.#pendingBytes > 0) this.#seal(0);
    return this.#queue;
  }

  /**
   * Seals what is buffered and closes the file. `cut: true` leaves the file without its last
   * chunk, as a crash would (used to re-seal an interrupted recording without calling it complete).
   */
  async close(options: { cut?: boolean } = {}): Promise<SealedSummary> {
    if (!this.#closed) {
      this.#closed = true;
      if (!options.cut) this.#seal(FLAG_LAST);
      else if (this.#pendingBytes > 0) this.#seal(0);
      this.#queue = this.#queue.finally(() => this.#fh.close());
    }
    await this.#queue;
    if (this.#error) throw this.#error;
    return { bytes: this.#bytes, sha256: this.#hash.copy().digest('hex') };
  }

  #seal(flags: number): void {
    const plain = Buffer.concat(this.#pending);
    this.#pending = [];
    this.#pendingBytes = 0;
    for (let off = 0; off < plain.length || off === 0; off += MAX_CHUNK_BYTES) {
      const part = plain.subarray(off, off + MAX_CHUNK_BYTES);
      const last = off + MAX_CHUNK_BYTES >= plain.length;
      const f = last ? flags : 0;
      const nonce = randomBytes(NONCE_BYTES);
      // SP 800-38D §7.1: GCM-AE(K, IV, P, A) → (C, T).
      const gcm = createCipheriv('aes-256-gcm', this.#key, nonce, { authTagLength: TAG_BYTES });
      gcm.setAAD(aad(this.#fileId, this.#index++, f));
      const head = Buffer.alloc(5);
      head.writeUInt32BE(part.length, 0);
      head.writeUInt8(f, 4);
      const out = Buffer.concat([head, nonce, gcm.update(part), gcm.final(), gcm.getAuthTag()]);
      this.#queue = this.#queue.then(async () => {
        if (this.#error) return;
        try {
          await this.#fh.write(out);
        } catch (err) {
          this.#error =
            err instanceof Error ? err : new Error('The recording file could not be written.');
        }
      });
      if (last) break;
    }
  }
}

export interface OpenedChunks {
  /** Plaintext chunks in order; stops at a cut chunk (a crash mid-write). */
  chunks: AsyncGenerator<Buffer, void>;
  /** After `chunks` is drained: whether the file ended with its last chunk (not cut). */
  complete: () => boolean;
}

/** Reads a sealed file. A chunk that fails authentication throws; a cut tail ends the read. */
export function openSealed(path: string, key: Buffer): OpenedChunks {
  let complete = false;
  async function* chunks(): AsyncGenerator<Buffer, void> {
    const fh = await open(path, 'r');
    try {
      const header = Buffer.alloc(HEADER_BYTES);
      const { bytesRead } = await fh.read(header, 0, HEADER_BYTES, 0);
      if (bytesRead < HEADER_BYTES || !header.subarray(0, MAGIC.length).equals(MAGIC))
        throw new SealedFileError('Not a Conclave recording file.');
      const fileId = header.subarray(MAGIC.length);
      let pos = HEADER_BYTES;
      for (let index = 0; ; index++) {
        const head = Buffer.alloc(CHUNK_HEADER_BYTES);
        const h = await fh.read(head, 0, CHUNK_HEADER_BYTES, pos);
        if (h.bytesRead < CHUNK_HEADER_BYTES) return; // cut (or no chunk at all)
        const length = head.readUInt32BE(0);
        const flags = head.readUInt8(4);
        if (length > MAX_CHUNK_BYTES || (flags & ~FLAG_LAST) !== 0)
          throw new SealedFileError('The recording file is damaged.');
        const body = Buffer.alloc(length + TAG_BYTES);
        const b = await fh.read(body, 0, body.length, pos + CHUNK_HEADER_BYTES);
        if (b.bytesRead < body.length) return; // cut mid-chunk
        const gcm = createDecipheriv('aes-256-gcm', key, head.subarray(5), {
          authTagLength: TAG_BYTES,
        });
        gcm.setAAD(aad(fileId, index, flags));
        gcm.setAuthTag(body.subarray(length));
        let plain: Buffer;
        try {
          // SP 800-38D §7.2: FAIL unless the tag matches (node compares in constant time).
          plain = Buffer.concat([gcm.update(body.subarray(0, length)), gcm.final()]);
        } catch {
          throw new SealedFileError(
            'The recording file does not open with this server secret key, or it was altered.',
          );
        }
        pos += CHUNK_HEADER_BYTES + body.length;
        if (plain.length > 0) yield plain;
        if (flags & FLAG_LAST) {
          complete = true;
          return;
        }
      }
    } finally {
      await fh.close();
    }
  }
  return { chunks: chunks(), complete: () => complete };
}

/** A readable stream of the plaintext bytes [start, end] (inclusive) of a sealed file. */
export function sealedRange(path: string, key: Buffer, start = 0, end = Infinity): Readable {
  const { chunks } = openSealed(path, key);
  async function* slice(): AsyncGenerator<Buffer> {
    let pos = 0;
    for await (const chunk of chunks) {
      const from = Math.max(0, start - pos);
      const to = Math.min(chunk.length, end + 1 - pos);
      pos += chunk.length;
      if (to > from) yield chunk.subarray(from, to);
      if (pos > end) return;
    }
  }
  return Readable.from(slice());
}

/** Seals a plaintext file (an ffmpeg output) into `dst`. */
export async function sealFile(src: string, dst: string, key: Buffer): Promise<SealedSummary> {
  const writer = await SealedFileWriter.create(dst, key);
  const fh = await open(src, 'r');
  try {
    const buf = Buffer.alloc(1024 * 1024);
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      writer.write(buf.subarray(0, bytesRead));
      await writer.flush();
    }
  } finally {
    await fh.close();
  }
  return writer.close();
}

/** Opens a sealed file into a plaintext file `dst` (for ffmpeg); tells whether it was complete. */
export async function unsealFile(src: string, dst: string, key: Buffer): Promise<boolean> {
  const { chunks, complete } = openSealed(src, key);
  const out = await open(dst, 'wx', 0o600);
  try {
    for await (const chunk of chunks) await out.write(chunk);
  } finally {
    await out.close();
  }
  return complete();
}
