import type { AesKey, CryptoBackend } from '@conclave/e2ee';

// The whiteboard under E2EE (issue 18): each yjs update is sealed with AES-256-GCM under a key
// exported from the MLS epoch (RFC 9420 §8.5 MLS-Exporter, label "Conclave whiteboard"), the way
// SFrame keys come from the same exporter. Only members of that epoch can open it; the server
// stores and forwards the sealed bytes. Wire form: epoch (u64) || nonce (12) || ciphertext+tag.
// Keys of the last few epochs are kept so an update sealed just before a key change still opens.

export const BOARD_EXPORTER_LABEL = 'Conclave whiteboard';
const KEEP_EPOCHS = 4;
const NONCE = 12;
const HEADER = 8 + NONCE;

function aad(epoch: bigint): Uint8Array {
  const label = new TextEncoder().encode(BOARD_EXPORTER_LABEL);
  const out = new Uint8Array(label.length + 8);
  out.set(label, 0);
  new DataView(out.buffer).setBigUint64(label.length, epoch);
  return out;
}

export class BoardKeys {
  readonly #backend: CryptoBackend;
  readonly #keys = new Map<bigint, AesKey>();
  #current: bigint | undefined;

  constructor(backend: CryptoBackend) {
    this.#backend = backend;
  }

  async install(epoch: bigint, secret: Uint8Array): Promise<void> {
    this.#keys.set(epoch, await this.#backend.importAesKey('gcm', secret));
    this.#current = epoch;
    for (const e of [...this.#keys.keys()].sort((a, b) => (a < b ? 1 : -1)).slice(KEEP_EPOCHS))
      this.#keys.delete(e);
  }

  clear(): void {
    this.#keys.clear();
    this.#current = undefined;
  }

  async seal(update: Uint8Array): Promise<Uint8Array> {
    const epoch = this.#current;
    const key = epoch === undefined ? undefined : this.#keys.get(epoch);
    if (epoch === undefined || !key) throw new Error('no whiteboard key: not in the group');
    const header = new Uint8Array(HEADER);
    new DataView(header.buffer).setBigUint64(0, epoch);
    const nonce = this.#backend.randomBytes(NONCE);
    header.set(nonce, 8);
    return this.#backend.aesGcmSeal(key, nonce, aad(epoch), update, header);
  }

  /** The update, or undefined when it is not sealed for an epoch this device holds. */
  async open(sealed: Uint8Array): Promise<Uint8Array | undefined> {
    if (sealed.length < HEADER + 16) return undefined;
    const epoch = new DataView(sealed.buffer, sealed.byteOffset).getBigUint64(0);
    const key = this.#keys.get(epoch);
    if (!key) return undefined;
    try {
      return await this.#backend.aesGcmOpen(
        key,
        sealed.subarray(8, HEADER),
        aad(epoch),
        sealed.subarray(HEADER),
      );
    } catch {
      return undefined;
    }
  }
}
