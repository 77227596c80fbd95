// RFC 9605 §5.2 MLS-based key management for SFrame.
//
//   base_key = MLS-Exporter("SFrame 1.0 Base Key", "", AEAD.Nk)
//   KID      = (context << (S + E)) + (sender_index << E) + (epoch % (1 << E))
//   (sframe_key, sframe_salt) = derive_key_salt(KID, base_key)       (RFC 9605 §4.4.2)
//
// Bit widths (our choice, RFC 9605 §5.2 leaves them to the application):
//   E = 4 bits of epoch: 16 epochs apart are distinguishable; we keep at most two at a time.
//   S = 16 bits of sender leaf index: up to 65,536 leaves (meetings cap far below).
//   context = the remaining 44 bits (default 0), e.g. to give one device several send keys.
// With context 0, leaf < 4096 and any epoch the KID fits in 2 bytes, so headers stay 3-4 bytes.
import { E2eeError } from '../errors';
import type { CryptoBackend } from '../sframe/backend/types';
import { SFrameContext, type DecryptedFrame } from '../sframe/context';
import { decodeHeader } from '../sframe/header';
import { deriveKeySalt } from '../sframe/keys';
import { MEDIA_SUITE, type CipherSuite } from '../sframe/suites';

export const KID_EPOCH_BITS = 4;
export const KID_SENDER_BITS = 16;
export const KID_CONTEXT_BITS = 64 - KID_SENDER_BITS - KID_EPOCH_BITS;
export const SFRAME_EXPORTER_LABEL = 'SFrame 1.0 Base Key';
export const DEFAULT_GRACE_MS = 10_000;

const E = BigInt(KID_EPOCH_BITS);
const S = BigInt(KID_SENDER_BITS);
const EPOCH_MASK = (1n << E) - 1n;
const SENDER_MASK = (1n << S) - 1n;
const CONTEXT_MAX = (1n << BigInt(KID_CONTEXT_BITS)) - 1n;

export interface KidParts {
  readonly context: bigint;
  readonly senderIndex: number;
  /** epoch % 2^E */
  readonly epochBits: number;
}

/** RFC 9605 §5.2: KID = (context << (S + E)) + (sender_index << E) + (epoch % (1 << E)). */
export function packKid(context: bigint, senderIndex: number, epoch: bigint): bigint {
  if (context < 0n || context > CONTEXT_MAX)
    throw new TypeError(`context must fit in ${KID_CONTEXT_BITS} bits`);
  if (!Number.isInteger(senderIndex) || senderIndex < 0 || BigInt(senderIndex) > SENDER_MASK) {
    throw new TypeError(`sender index must fit in ${KID_SENDER_BITS} bits`);
  }
  if (epoch < 0n) throw new TypeError('epoch must be non-negative');
  return (context << (S + E)) | (BigInt(senderIndex) << E) | (epoch & EPOCH_MASK);
}

export function unpackKid(kid: bigint): KidParts {
  return {
    context: kid >> (S + E),
    senderIndex: Number((kid >> E) & SENDER_MASK),
    epochBits: Number(kid & EPOCH_MASK),
  };
}

/** Anything that can export secrets for the current MLS epoch (GroupSession does). */
export interface EpochSource {
  readonly epoch: bigint;
  readonly ownLeafIndex: number;
  exportSecret(label: string, context: Uint8Array, length: number): Promise<Uint8Array>;
  members(): readonly { readonly leafIndex: number }[];
}

/** RFC 9605 §5.2: base_key = MLS-Exporter("SFrame 1.0 Base Key", "", AEAD.Nk). */
export function exportBaseKey(
  source: EpochSource,
  suite: CipherSuite = MEDIA_SUITE,
): Promise<Uint8Array> {
  return source.exportSecret(SFRAME_EXPORTER_LABEL, new Uint8Array(0), suite.nk);
}

export interface EpochKeys {
  readonly epoch: bigint;
  readonly baseKey: Uint8Array;
  readonly ownLeafIndex: number;
  readonly members: readonly number[];
}

interface EpochRecord {
  readonly epoch: bigint;
  readonly baseKey: Uint8Array;
  readonly members: ReadonlySet<number>;
  readonly ownLeafIndex: number;
  readonly kids: Set<bigint>;
  /** When receivers stop accepting this epoch (set once it becomes the previous epoch). */
  expiresAt: number;
  /** Concurrent derivations of the same sender key share one promise. */
  readonly pending: Map<bigint, Promise<void>>;
  dropped: boolean;
}

export interface FrameKeyringOptions {
  readonly backend: CryptoBackend;
  readonly suite?: CipherSuite;
  /** KID context bits (RFC 9605 §5.2), default 0. */
  readonly context?: bigint;
  /** How long the previous epoch's keys stay usable for receiving, default 10 s (DESIGN §4.2). */
  readonly graceMs?: number;
  /** Delay before sending switches to the new epoch (two-phase switch), default 0. */
  readonly sendSwitchDelayMs?: number;
  /** Injectable clock in ms (tests); defaults to Date.now. */
  readonly now?: () => number;
  readonly replayWindow?: number;
}

/**
 * Frame keys of one device for the current and previous MLS epoch. Sender keys are derived on
 * first use; the previous epoch is dropped `graceMs` after the next one was installed, or at once
 * when a further epoch is installed (at most two epochs are ever held). No timers: expiry is
 * checked against the injected clock on every call.
 */
export class MlsFrameKeyring {
  readonly suite: CipherSuite;
  readonly #backend: CryptoBackend;
  readonly #ctx: SFrameContext;
  readonly #context: bigint;
  readonly #graceMs: number;
  readonly #sendDelayMs: number;
  readonly #now: () => number;
  #current: EpochRecord | undefined;
  #previous: EpochRecord | undefined;
  #sendSwitchAt = 0;
  /** Last epoch dropped for age, to tell KEY_EXPIRED from UNKNOWN_KID. */
  #lastExpired: bigint | undefined;

  constructor(options: FrameKeyringOptions) {
    this.#backend = options.backend;
    this.suite = options.suite ?? MEDIA_SUITE;
    this.#context = options.context ?? 0n;
    this.#graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
    this.#sendDelayMs = options.sendSwitchDelayMs ?? 0;
    this.#now = options.now ?? Date.now;
    this.#ctx = new SFrameContext({
      backend: options.backend,
      suite: this.suite,
      ...(options.replayWindow !== undefined ? { replayWindow: options.replayWindow } : {}),
    });
    packKid(this.#context, 0, 0n); // validates the context width
  }

  /** Reads the exporter and roster of `source`'s current epoch and installs them. */
  async installFrom(source: EpochSource): Promise<void> {
    await this.install({
      epoch: source.epoch,
      baseKey: await exportBaseKey(source, this.suite),
      ownLeafIndex: source.ownLeafIndex,
      members: source.members().map((m) => m.leafIndex),
    });
  }

  /** Installs a new epoch; the current one becomes the previous one with a grace deadline. */
  async install(keys: EpochKeys): Promise<void> {
    if (keys.baseKey.length !== this.suite.nk)
      throw new E2eeError('E2EE_ERR_BAD_LENGTH', 'base_key');
    if (this.#current && keys.epoch <= this.#current.epoch)
      throw new E2eeError('E2EE_ERR_MLS_STATE', 'epoch did not advance');
    const now = this.#now();
    if (this.#previous) this.#drop(this.#previous);
    this.#previous = this.#current;
    if (this.#previous) {
      this.#previous.expiresAt = now + this.#graceMs;
      // RFC 9605 §5.2: only epoch % 2^E is on the wire; never keep two epochs with equal bits.
      if ((this.#previous.epoch & EPOCH_MASK) === (keys.epoch & EPOCH_MASK)) {
        this.#drop(this.#previous);
        this.#previous = undefined;
      }
    }
    this.#current = {
      epoch: keys.epoch,
      baseKey: keys.baseKey.slice(),
      members: new Set(keys.members),
      ownLeafIndex: keys.ownLeafIndex,
      kids: new Set(),
      expiresAt: Infinity,
      pending: new Map(),
      dropped: false,
    };
    this.#sendSwitchAt = this.#previous ? now + this.#sendDelayMs : now;
  }

  get currentEpoch(): bigint | undefined {
    return this.#current?.epoch;
  }

  /** The epoch frames are sent under right now (the previous one until the switch delay passes). */
  get sendEpoch(): bigint | undefined {
    return this.#sendRecord()?.epoch;
  }

  /** The KID this device sends with in `epoch` (the current send epoch by default). */
  ownKid(epoch?: bigint): bigint {
    const rec = epoch === undefined ? this.#sendRecord() : this.#record(epoch);
    if (!rec) throw new E2eeError('E2EE_ERR_MLS_STATE', 'no epoch installed');
    return packKid(this.#context, rec.ownLeafIndex, rec.epoch);
  }

  /** RFC 9605 §4.4.2 key and salt of `senderIndex` in `epoch` (for tests and diagnostics). */
  async senderKeyMaterial(
    epoch: bigint,
    senderIndex: number,
  ): Promise<{ kid: bigint; key: Uint8Array; salt: Uint8Array }> {
    const rec = this.#record(epoch);
    if (!rec) throw new E2eeError('E2EE_ERR_UNKNOWN_KID');
    const kid = packKid(this.#context, senderIndex, rec.epoch);
    return { kid, ...(await deriveKeySalt(this.#backend, this.suite, kid, rec.baseKey)) };
  }

  /** Encrypts one frame with this device's key in the send epoch. */
  async encrypt(plaintext: Uint8Array, metadata?: Uint8Array): Promise<Uint8Array> {
    this.#expire();
    const rec = this.#sendRecord();
    if (!rec) throw new E2eeError('E2EE_ERR_MLS_STATE', 'no epoch installed');
    const kid = packKid(this.#context, rec.ownLeafIndex, rec.epoch);
    await this.#ensureKey(rec, kid);
    if (rec.dropped) throw new E2eeError('E2EE_ERR_KEY_EXPIRED');
    return this.#ctx.encrypt(kid, plaintext, metadata);
  }

  /** Decrypts a frame from any member of the current epoch, or of the previous one within the grace time. */
  async decrypt(
    frame: Uint8Array,
    metadata?: Uint8Array,
  ): Promise<DecryptedFrame & { senderIndex: number; epoch: bigint }> {
    const expired = this.#expire();
    const { kid } = decodeHeader(frame);
    const parts = unpackKid(kid);
    if (parts.context !== this.#context) throw new E2eeError('E2EE_ERR_UNKNOWN_KID');
    const rec = [this.#current, this.#previous].find(
      (r) => r !== undefined && Number(r.epoch & EPOCH_MASK) === parts.epochBits,
    );
    if (!rec) {
      if (expired.some((e) => Number(e & EPOCH_MASK) === parts.epochBits))
        throw new E2eeError('E2EE_ERR_KEY_EXPIRED');
      throw new E2eeError('E2EE_ERR_UNKNOWN_KID');
    }
    if (!rec.members.has(parts.senderIndex)) throw new E2eeError('E2EE_ERR_UNKNOWN_KID');
    await this.#ensureKey(rec, kid);
    if (rec.dropped) throw new E2eeError('E2EE_ERR_KEY_EXPIRED');
    const out = await this.#ctx.decrypt(frame, metadata);
    return { ...out, senderIndex: parts.senderIndex, epoch: rec.epoch };
  }

  /** Drops every key (leaving the meeting, or removed from the group). */
  clear(): void {
    if (this.#previous) this.#drop(this.#previous);
    if (this.#current) this.#drop(this.#current);
    this.#previous = this.#current = undefined;
  }

  #sendRecord(): EpochRecord | undefined {
    if (this.#previous && this.#now() < this.#sendSwitchAt) return this.#previous;
    return this.#current;
  }

  #record(epoch: bigint): EpochRecord | undefined {
    return [this.#current, this.#previous].find((r) => r?.epoch === epoch);
  }

  /** Drops the previous epoch once its grace time is over; returns the epochs dropped now. */
  #expire(): bigint[] {
    const prev = this.#previous;
    if (prev && this.#now() >= prev.expiresAt) {
      this.#drop(prev);
      this.#previous = undefined;
      this.#lastExpired = prev.epoch;
    }
    return this.#lastExpired === undefined ? [] : [this.#lastExpired];
  }

  async #ensureKey(rec: EpochRecord, kid: bigint): Promise<void> {
    if (rec.kids.has(kid)) return;
    let p = rec.pending.get(kid);
    if (!p) {
      p = this.#ctx.addBaseKey(kid, rec.baseKey).then(() => {
        rec.pending.delete(kid);
        // The epoch may have been dropped while we derived: do not resurrect its key.
        if (rec.dropped) this.#ctx.deleteKey(kid);
        else rec.kids.add(kid);
      });
      rec.pending.set(kid, p);
    }
    await p;
  }

  #drop(rec: EpochRecord): void {
    rec.dropped = true;
    for (const kid of rec.kids) this.#ctx.deleteKey(kid);
    rec.kids.clear();
    rec.baseKey.fill(0);
  }
}
