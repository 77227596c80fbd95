// Issue 18: MLS application messages (chat, control) sealed and opened on a short path. ts-mls
// protects any content type through generic encoders, which re-encode the whole GroupContext
// (tree hash, transcript hash, the meeting-policy extension) for every signature and verification
// and import each AEAD key on its way. This file writes the same RFC 9420 §6.3 structures
// directly: the GroupContext is encoded once per epoch (§6.1 FramedContentTBS carries it for a
// member sender), the two sender-data derivations run together, and an AEAD key imported ahead
// (the ratchet look-ahead, ratchet-look-ahead.ts) is used as is. The generation ratchet, key
// retention, replay refusal and the wiping of used secrets stay ts-mls's (secretTree.js, patched),
// and a message is read with ts-mls's decoders. Same bytes as ts-mls: the RFC 9420
// message-protection vectors open here, and what this seals opens in ts-mls
// (vectors-messages.test.ts, application-message.test.ts).
import type { CiphersuiteImpl, GroupContext, PrivateMessage, RatchetTree } from 'ts-mls';
import { encodeGroupContext } from 'ts-mls/groupContext.js';
import type { PaddingConfig } from 'ts-mls/paddingConfig.js';
import { byteLengthToPad } from 'ts-mls/paddingConfig.js';
import { decodePrivateMessageContent } from 'ts-mls/privateMessage.js';
import { decodeSenderData } from 'ts-mls/sender.js';
import type { KeyRetentionConfig } from 'ts-mls/keyRetentionConfig.js';
import type { SecretTree } from 'ts-mls/secretTree.js';
import { consumeRatchet, ratchetToGeneration } from 'ts-mls/secretTree.js';
import { E2eeError } from '../errors';
import type { AesKey, CryptoBackend } from '../sframe/backend/types';

/** RFC 9420 §6: ProtocolVersion mls10, WireFormat mls_private_message, ContentType application. */
const MLS10 = 1;
const WIRE_PRIVATE = 2;
const CONTENT_APPLICATION = 1;
/** §6: SenderType member. */
const SENDER_MEMBER = 1;
/** §5.1.2 SignWithLabel: "MLS 1.0 " + "FramedContentTBS". */
const TBS_LABEL = new TextEncoder().encode('MLS 1.0 FramedContentTBS');
const EMPTY = new Uint8Array(0);

/** §2.1.2 variable-size vector length (the shortest encoding, as ts-mls writes it). */
function varintLength(n: number): number {
  if (n < 64) return 1;
  if (n < 16384) return 2;
  if (n < 0x40000000) return 4;
  throw new E2eeError('E2EE_ERR_BAD_LENGTH', 'vector too long for MLS');
}

/** Writes TLS presentation-language structures (RFC 9420 §2.1) into one buffer. */
class Writer {
  readonly bytes: Uint8Array;
  readonly #view: DataView;
  #at = 0;

  constructor(length: number) {
    this.bytes = new Uint8Array(length);
    this.#view = new DataView(this.bytes.buffer);
  }

  u8(v: number): this {
    this.#view.setUint8(this.#at, v);
    this.#at += 1;
    return this;
  }

  u16(v: number): this {
    this.#view.setUint16(this.#at, v);
    this.#at += 2;
    return this;
  }

  u32(v: number): this {
    this.#view.setUint32(this.#at, v);
    this.#at += 4;
    return this;
  }

  u64(v: bigint): this {
    this.#view.setBigUint64(this.#at, v);
    this.#at += 8;
    return this;
  }

  raw(data: Uint8Array): this {
    this.bytes.set(data, this.#at);
    this.#at += data.length;
    return this;
  }

  /** opaque data<V> (§2.1.2). */
  vec(data: Uint8Array): this {
    const n = data.length;
    const len = varintLength(n);
    if (len === 1) this.u8(n);
    else if (len === 2) this.u16(0x4000 | n);
    else this.u32((0x80000000 | n) >>> 0);
    return this.raw(data);
  }

  /** The writer filled the buffer exactly (a length miscounted is a bug, not bad input). */
  done(): Uint8Array {
    if (this.#at !== this.bytes.length) throw new Error('MLS encoding length mismatch');
    return this.bytes;
  }
}

const vecSize = (data: Uint8Array) => varintLength(data.length) + data.length;

/** The GroupContext of an epoch, encoded once (every signed message of the epoch carries it). */
const encodedContexts = new WeakMap<GroupContext, Uint8Array>();
function contextBytes(context: GroupContext): Uint8Array {
  let bytes = encodedContexts.get(context);
  if (!bytes) {
    bytes = encodeGroupContext(context);
    encodedContexts.set(context, bytes);
  }
  return bytes;
}

/** §6.1 FramedContentTBS of an application message from a member, wrapped as §5.1.2 SignContent. */
function signContent(
  context: GroupContext,
  groupId: Uint8Array,
  epoch: bigint,
  leafIndex: number,
  authenticatedData: Uint8Array,
  applicationData: Uint8Array,
): Uint8Array {
  const gc = contextBytes(context);
  const tbsLength =
    2 + // version
    2 + // wire_format
    vecSize(groupId) +
    8 + // epoch
    1 + // sender_type
    4 + // leaf_index
    vecSize(authenticatedData) +
    1 + // content_type
    vecSize(applicationData) +
    gc.length;
  const w = new Writer(vecSize(TBS_LABEL) + varintLength(tbsLength) + tbsLength);
  w.vec(TBS_LABEL);
  // The content<V> prefix, then FramedContentTBS itself.
  const len = varintLength(tbsLength);
  if (len === 1) w.u8(tbsLength);
  else if (len === 2) w.u16(0x4000 | tbsLength);
  else w.u32((0x80000000 | tbsLength) >>> 0);
  w.u16(MLS10).u16(WIRE_PRIVATE);
  w.vec(groupId).u64(epoch).u8(SENDER_MEMBER).u32(leafIndex).vec(authenticatedData);
  w.u8(CONTENT_APPLICATION).vec(applicationData);
  w.raw(gc);
  return w.done();
}

/** §6.3.1 PrivateContentAAD (content_type application). */
function contentAad(groupId: Uint8Array, epoch: bigint, authenticatedData: Uint8Array): Uint8Array {
  return new Writer(vecSize(groupId) + 8 + 1 + vecSize(authenticatedData))
    .vec(groupId)
    .u64(epoch)
    .u8(CONTENT_APPLICATION)
    .vec(authenticatedData)
    .done();
}

/** §6.3.2 SenderDataAAD (content_type application). */
function senderDataAad(groupId: Uint8Array, epoch: bigint): Uint8Array {
  return new Writer(vecSize(groupId) + 8 + 1)
    .vec(groupId)
    .u64(epoch)
    .u8(CONTENT_APPLICATION)
    .done();
}

/** §8 ExpandWithLabel's labels for the sender-data key and nonce (§6.3.2). */
const SENDER_DATA_KEY_LABEL = new TextEncoder().encode('MLS 1.0 key');
const SENDER_DATA_NONCE_LABEL = new TextEncoder().encode('MLS 1.0 nonce');

/** §8 KDFLabel { uint16 length; opaque label<V>; opaque context<V> } (ExpandWithLabel's info). */
function kdfLabel(length: number, label: Uint8Array, context: Uint8Array): Uint8Array {
  return new Writer(2 + vecSize(label) + vecSize(context))
    .u16(length)
    .vec(label)
    .vec(context)
    .done();
}

/**
 * §6.3.2 sender_data_key and sender_data_nonce: ExpandWithLabel(sender_data_secret, "key" /
 * "nonce", ciphertext_sample, Nk / Nn), the sample being the first Nh bytes of the ciphertext.
 * The KDFLabels are written here rather than through ts-mls's generic encoders (issue 18: one
 * chat message pays these on each side); the HKDF-Expand is the suite's.
 */
export function senderDataKeyAndNonce(
  cs: CiphersuiteImpl,
  senderDataSecret: Uint8Array,
  ciphertext: Uint8Array,
): Promise<[Uint8Array, Uint8Array]> {
  const sample = ciphertext.subarray(0, cs.kdf.size);
  const { keyLength, nonceLength } = cs.hpke;
  return Promise.all([
    cs.kdf.expand(senderDataSecret, kdfLabel(keyLength, SENDER_DATA_KEY_LABEL, sample), keyLength),
    cs.kdf.expand(
      senderDataSecret,
      kdfLabel(nonceLength, SENDER_DATA_NONCE_LABEL, sample),
      nonceLength,
    ),
  ]);
}

/**
 * Reads TLS presentation-language structures (RFC 9420 §2.1). Reading past the end, or a length
 * not in its shortest encoding, marks the whole read as failed (`ok` false) and yields zeros.
 */
class Reader {
  readonly #bytes: Uint8Array;
  #at = 0;
  #ok = true;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
  }

  /** Every field was there and the bytes were used up exactly. */
  get ok(): boolean {
    return this.#ok && this.#at === this.#bytes.length;
  }

  u8(): number {
    if (this.#at >= this.#bytes.length) {
      this.#ok = false;
      return 0;
    }
    return this.#bytes[this.#at++]!;
  }

  u16(): number {
    return (this.u8() << 8) | this.u8();
  }

  u32(): number {
    return this.u16() * 0x10000 + this.u16();
  }

  u64(): bigint {
    const hi = this.u32();
    return (BigInt(hi) << 32n) | BigInt(this.u32());
  }

  /** opaque data<V> (§2.1.2), its length in the shortest encoding only; a view, no copy. */
  vec(): Uint8Array {
    const first = this.u8();
    const size = [1, 2, 4][first >> 6];
    let n = first & 0x3f;
    for (let i = 1; i < (size ?? 0); i++) n = n * 256 + this.u8();
    if (size === undefined || varintLength(n) !== size || this.#at + n > this.#bytes.length) {
      this.#ok = false;
      return EMPTY;
    }
    const out = this.#bytes.subarray(this.#at, this.#at + n);
    this.#at += n;
    return out;
  }
}

/**
 * §6 MLSMessage { mls10, mls_private_message, PrivateMessage } of content type application, read
 * directly (issue 18: ts-mls's generic decoders cost a reader ~50 us a message after idle time).
 * Only the exact shape with the shortest length encodings is read here; anything else is
 * undefined, for the caller to hand to ts-mls's decoder, which then decides: what this reads,
 * ts-mls reads the same way (application-message.test.ts).
 */
export function readApplicationMessage(bytes: Uint8Array): PrivateMessage | undefined {
  const r = new Reader(bytes);
  if (r.u16() !== MLS10 || r.u16() !== WIRE_PRIVATE) return undefined;
  const groupId = r.vec();
  const epoch = r.u64();
  if (r.u8() !== CONTENT_APPLICATION) return undefined;
  const authenticatedData = r.vec();
  const encryptedSenderData = r.vec();
  const ciphertext = r.vec();
  if (!r.ok) return undefined;
  return {
    groupId,
    epoch,
    contentType: 'application',
    authenticatedData,
    encryptedSenderData,
    ciphertext,
  };
}

/** AES-GCM keys imported ahead of their message, by the key's byte array (ratchet look-ahead). */
export class ImportedAeadKeys {
  readonly #keys = new WeakMap<Uint8Array, Promise<AesKey>>();
  readonly #backend: CryptoBackend;

  constructor(backend: CryptoBackend) {
    this.#backend = backend;
  }

  /** Imports `key` now (kept until `take` or `drop`, or until its bytes are collected). */
  prepare(key: Uint8Array): void {
    if (this.#keys.has(key)) return;
    const imported = this.#backend.importAesKey('gcm', key);
    imported.catch(() => undefined);
    this.#keys.set(key, imported);
  }

  /** The imported key for these bytes (imported now if it was not ahead); forgotten here. */
  take(key: Uint8Array): Promise<AesKey> {
    const ahead = this.#keys.get(key);
    this.#keys.delete(key);
    return ahead ?? this.#backend.importAesKey('gcm', key);
  }

  drop(key: Uint8Array): void {
    this.#keys.delete(key);
  }

  get backend(): CryptoBackend {
    return this.#backend;
  }
}

/** What a sender needs of its epoch to seal an application message. */
export interface SealInput {
  readonly signaturePrivateKey: Uint8Array;
  readonly senderDataSecret: Uint8Array;
  readonly groupContext: GroupContext;
  readonly secretTree: SecretTree;
  readonly leafIndex: number;
  readonly paddingConfig: PaddingConfig;
}

export interface Sealed {
  /** The MLSMessage (§6) holding the PrivateMessage. */
  readonly message: Uint8Array;
  readonly tree: SecretTree;
  /** Secrets used up by this message: the caller wipes them. */
  readonly consumed: Uint8Array[];
}

/** RFC 9420 §6.3: an application message from this member, as an encoded MLSMessage. */
export async function sealApplicationMessage(
  input: SealInput,
  applicationData: Uint8Array,
  cs: CiphersuiteImpl,
  keys: ImportedAeadKeys,
): Promise<Sealed> {
  const { groupContext: gc, leafIndex } = input;
  const { groupId, epoch } = gc;
  const authenticatedData = EMPTY;
  // §6.1: the signature over FramedContentTBS (with the GroupContext, the sender being a member).
  const signature = await cs.signature.sign(
    input.signaturePrivateKey,
    signContent(gc, groupId, epoch, leafIndex, authenticatedData, applicationData),
  );
  // §9.1 this leaf's next generation (key and nonce usually derived ahead), §6.3.1 reuse guard.
  const ratchet = await consumeRatchet(input.secretTree, leafIndex * 2, 'application', cs);
  // §6.3.1 PrivateMessageContent: application_data, FramedContentAuthData (the signature), padding.
  const contentLength = vecSize(applicationData) + vecSize(signature);
  const content = new Uint8Array(
    contentLength + byteLengthToPad(contentLength, input.paddingConfig),
  );
  const body = new Writer(contentLength).vec(applicationData).vec(signature).done();
  content.set(body, 0);
  const backend = keys.backend;
  const ciphertext = await backend.aesGcmSeal(
    await keys.take(ratchet.key),
    ratchet.nonce,
    contentAad(groupId, epoch, authenticatedData),
    content,
  );
  // §6.3.2 sender data, keyed by a sample of the ciphertext.
  const [sdKey, sdNonce] = await senderDataKeyAndNonce(cs, input.senderDataSecret, ciphertext);
  const senderData = new Writer(12)
    .u32(leafIndex)
    .u32(ratchet.generation)
    .raw(ratchet.reuseGuard)
    .done();
  const encryptedSenderData = await backend.aesGcmSeal(
    await backend.importAesKey('gcm', sdKey),
    sdNonce,
    senderDataAad(groupId, epoch),
    senderData,
  );
  // §6 MLSMessage { version, wire_format, PrivateMessage }.
  const message = new Writer(
    2 +
      2 +
      vecSize(groupId) +
      8 +
      1 +
      vecSize(authenticatedData) +
      vecSize(encryptedSenderData) +
      vecSize(ciphertext),
  )
    .u16(MLS10)
    .u16(WIRE_PRIVATE)
    .vec(groupId)
    .u64(epoch)
    .u8(CONTENT_APPLICATION)
    .vec(authenticatedData)
    .vec(encryptedSenderData)
    .vec(ciphertext)
    .done();
  return { message, tree: ratchet.newTree, consumed: [...ratchet.consumed, sdKey, sdNonce] };
}

/** What a reader needs of the message's epoch to open it. */
export interface OpenInput {
  readonly senderDataSecret: Uint8Array;
  readonly secretTree: SecretTree;
  readonly ratchetTree: RatchetTree;
  readonly groupContext: GroupContext;
  readonly keyRetention: KeyRetentionConfig;
}

export interface Opened {
  readonly senderLeaf: number;
  readonly applicationData: Uint8Array;
  readonly tree: SecretTree;
  /** Secrets used up by this message: the caller wipes them. */
  readonly consumed: Uint8Array[];
}

const refuse = (why: string) => new E2eeError('E2EE_ERR_MLS_MESSAGE', why);

/**
 * RFC 9420 §6.3.2 then §6.3.1 then §6.1: opens an application PrivateMessage of the epoch in
 * `input` (the caller checked its epoch and content type) and verifies its sender's signature
 * with the sender leaf's key in that epoch's tree. Throws on anything else.
 */
export async function openApplicationMessage(
  input: OpenInput,
  pm: PrivateMessage,
  cs: CiphersuiteImpl,
  keys: ImportedAeadKeys,
): Promise<Opened> {
  const gc = input.groupContext;
  if (pm.contentType !== 'application' || pm.epoch !== gc.epoch)
    throw refuse('not an application message of this epoch');
  if (!sameBytes(pm.groupId, gc.groupId)) throw refuse('not a message of this group');
  const backend = keys.backend;
  // §6.3.2: sender data.
  const [sdKey, sdNonce] = await senderDataKeyAndNonce(cs, input.senderDataSecret, pm.ciphertext);
  let senderDataBytes: Uint8Array;
  try {
    senderDataBytes = await backend.aesGcmOpen(
      await backend.importAesKey('gcm', sdKey),
      sdNonce,
      senderDataAad(pm.groupId, pm.epoch),
      pm.encryptedSenderData,
    );
  } catch (cause) {
    throw new E2eeError('E2EE_ERR_MLS_MESSAGE', 'sender data does not open', { cause });
  }
  const decoded = decodeSenderData(senderDataBytes, 0);
  if (!decoded || decoded[1] !== senderDataBytes.length) throw refuse('malformed sender data');
  const senderData = decoded[0];
  // §6.3.2: the sender must be a non-blank leaf of this epoch's tree.
  const leaf = input.ratchetTree[senderData.leafIndex * 2];
  if (leaf?.nodeType !== 'leaf') throw refuse('sender leaf is blank');
  // §9.1 / §9.2: that sender's generation (a replay or a too-old generation is refused here).
  const ratchet = await ratchetToGeneration(
    input.secretTree,
    senderData,
    'application',
    input.keyRetention,
    cs,
  );
  const consumed = [...ratchet.consumed, sdKey, sdNonce];
  let plain: Uint8Array;
  try {
    plain = await backend.aesGcmOpen(
      await keys.take(ratchet.key),
      ratchet.nonce,
      contentAad(pm.groupId, pm.epoch, pm.authenticatedData),
      pm.ciphertext,
    );
  } catch (cause) {
    // The epoch's state is left as it was (its secrets are still in use): only these go.
    sdKey.fill(0);
    sdNonce.fill(0);
    throw new E2eeError('E2EE_ERR_MLS_MESSAGE', 'content does not open', { cause });
  }
  // §6.3.1: application_data, signature, then padding that must be all zeros.
  const content = decodePrivateMessageContent('application')(plain, 0)?.[0];
  if (content?.contentType !== 'application') throw refuse('malformed content');
  const ok = await cs.signature.verify(
    leaf.leaf.signaturePublicKey,
    signContent(
      gc,
      pm.groupId,
      pm.epoch,
      senderData.leafIndex,
      pm.authenticatedData,
      content.applicationData,
    ),
    content.auth.signature,
  );
  if (!ok) throw refuse('signature invalid');
  return {
    senderLeaf: senderData.leafIndex,
    applicationData: content.applicationData,
    tree: ratchet.newTree,
    consumed,
  };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
