// RFC 9605 §4.4.1 Key Selection and §4.4.3/§4.4.4 with per-KID state: an SFrame context holds
// the keys it may use, a send counter per KID and a replay window per KID.
import { E2eeError } from '../errors';
import type { CryptoBackend } from './backend/types';
import { importSFrameKey, sframeDecryptWithKey, sframeEncrypt, type SFrameKey } from './cipher';
import { decodeHeader, MAX_U64 } from './header';
import { deriveKeySalt } from './keys';
import { ReplayWindow } from './replay';
import { MEDIA_SUITE, type CipherSuite } from './suites';

const EMPTY = new Uint8Array(0);

export interface SFrameContextOptions {
  readonly backend: CryptoBackend;
  /** Defaults to suite 4, AES_128_GCM_SHA256_128 (DESIGN §4.2). */
  readonly suite?: CipherSuite;
  /** How many counters below the highest one seen are still accepted (default 1024). */
  readonly replayWindow?: number;
}

export interface DecryptedFrame {
  readonly kid: bigint;
  readonly ctr: bigint;
  readonly plaintext: Uint8Array;
}

interface Entry {
  readonly key: SFrameKey;
  nextCtr: bigint;
  readonly replay: ReplayWindow;
}

export class SFrameContext {
  readonly backend: CryptoBackend;
  readonly suite: CipherSuite;
  readonly #window: number;
  readonly #keys = new Map<bigint, Entry>();

  constructor(options: SFrameContextOptions) {
    this.backend = options.backend;
    this.suite = options.suite ?? MEDIA_SUITE;
    this.#window = options.replayWindow ?? 1024;
  }

  /** RFC 9605 §4.4.2: install the key and salt derived from base_key for `kid`. */
  async addBaseKey(kid: bigint, baseKey: Uint8Array): Promise<void> {
    if (this.#keys.has(kid)) throw new E2eeError('E2EE_ERR_DUPLICATE_KID');
    const { key, salt } = await deriveKeySalt(this.backend, this.suite, kid, baseKey);
    await this.addKeyMaterial(kid, key, salt);
  }

  /** Installs an already derived key and salt (lengths Nk and Nn). */
  async addKeyMaterial(kid: bigint, key: Uint8Array, salt: Uint8Array): Promise<void> {
    const imported = await importSFrameKey(this.backend, this.suite, kid, key, salt);
    // A concurrent addBaseKey for the same KID may have won while we awaited; keep the first.
    if (this.#keys.has(kid)) throw new E2eeError('E2EE_ERR_DUPLICATE_KID');
    this.#keys.set(kid, { key: imported, nextCtr: 0n, replay: new ReplayWindow(this.#window) });
  }

  hasKey(kid: bigint): boolean {
    return this.#keys.has(kid);
  }

  deleteKey(kid: bigint): boolean {
    const entry = this.#keys.get(kid);
    if (entry) entry.key.salt.fill(0);
    return this.#keys.delete(kid);
  }

  get kids(): bigint[] {
    return [...this.#keys.keys()];
  }

  /** RFC 9605 §4.4.3 with the per-KID counter: each call uses the next CTR for `kid`. */
  encrypt(kid: bigint, plaintext: Uint8Array, metadata: Uint8Array = EMPTY): Promise<Uint8Array> {
    const entry = this.#keys.get(kid);
    if (!entry) return Promise.reject(new E2eeError('E2EE_ERR_UNKNOWN_KID'));
    const ctr = entry.nextCtr;
    // RFC 9605 §4.4.3: a (KID, CTR) pair must never repeat; stop at 2^64-1.
    if (ctr > MAX_U64) return Promise.reject(new E2eeError('E2EE_ERR_COUNTER_EXHAUSTED'));
    entry.nextCtr = ctr + 1n;
    return sframeEncrypt(entry.key, ctr, metadata, plaintext);
  }

  /** RFC 9605 §4.4.4: parse header, select key by KID, reject replays, authenticate and decrypt. */
  async decrypt(
    sframeCiphertext: Uint8Array,
    metadata: Uint8Array = EMPTY,
  ): Promise<DecryptedFrame> {
    const header = decodeHeader(sframeCiphertext);
    const entry = this.#keys.get(header.kid);
    if (!entry) throw new E2eeError('E2EE_ERR_UNKNOWN_KID');
    if (!entry.replay.check(header.ctr)) throw new E2eeError('E2EE_ERR_REPLAY');
    const plaintext = await sframeDecryptWithKey(
      entry.key,
      header.ctr,
      header.length,
      metadata,
      sframeCiphertext,
    );
    // Re-check: another decrypt of the same CTR may have completed while we awaited.
    if (!entry.replay.check(header.ctr)) throw new E2eeError('E2EE_ERR_REPLAY');
    entry.replay.mark(header.ctr);
    return { kid: header.kid, ctr: header.ctr, plaintext };
  }
}
