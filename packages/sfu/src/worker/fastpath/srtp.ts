/**
 * SRTP protection of outgoing RTP for the forwarding fast path, on node:crypto.
 *
 * Both profiles DTLS-SRTP negotiates with browsers (RFC 5764 §4.1.2, RFC 7714 §14.2):
 * - SRTP_AES128_CM_HMAC_SHA1_80 (0x0001): AES-128 in counter mode (RFC 3711 §4.1.1), HMAC-SHA1
 *   authentication tag of 80 bits (§4.2), session keys from the master key by the AES-CM PRF
 *   (§4.3.1, §4.3.3).
 * - SRTP_AEAD_AES_128_GCM (0x0007): AES-128-GCM, 16-octet tag (RFC 7714 §8), the same key
 *   derivation with a 96-bit salt (§11).
 *
 * Keys come from werift's DTLS handshake (RFC 5764 §4.2 key material); the receive side is
 * ./srtp-unprotect.ts. One context per DTLS transport; the rollover counter is kept per SSRC by
 * the caller.
 */
import { createCipheriv, createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { createGcmContext, type Aes128GcmContext } from './aead-context';

export const SRTP_AES128_CM_HMAC_SHA1_80 = 0x0001;
export const SRTP_AEAD_AES_128_GCM = 0x0007;
export type SrtpProfile = typeof SRTP_AES128_CM_HMAC_SHA1_80 | typeof SRTP_AEAD_AES_128_GCM;

/** RFC 3711 §4.3.2 key derivation labels for SRTP. */
export const LABEL_SRTP_ENCRYPTION = 0x00;
export const LABEL_SRTP_AUTH = 0x01;
export const LABEL_SRTP_SALT = 0x02;

/** Master key and salt lengths per profile (RFC 5764 §4.1.2, RFC 7714 §12). */
export const masterLengths = (profile: SrtpProfile): { key: number; salt: number } =>
  profile === SRTP_AEAD_AES_128_GCM ? { key: 16, salt: 12 } : { key: 16, salt: 14 };

/**
 * RFC 3711 §4.3.1 with key_derivation_rate 0 (r = 0): x = (label << 48) XOR master_salt, and the
 * session key is the AES-CM keystream (§4.3.3) under the master key with IV = x * 2^16.
 */
export const deriveSessionKey = (
  masterKey: Buffer,
  masterSalt: Buffer,
  label: number,
  length: number,
): Buffer => {
  const iv = Buffer.alloc(16);
  masterSalt.copy(iv, 0, 0, Math.min(14, masterSalt.length));
  // key_id = label || r (48-bit index DIV kdr = 0): the label is octet 7 of the 14-octet x
  iv[7] = iv[7]! ^ label;
  const cipher = createCipheriv('aes-128-ctr', masterKey, iv);
  return Buffer.concat([cipher.update(Buffer.alloc(length)), cipher.final()]).subarray(0, length);
};

/** RFC 3711 §3.3.1: the rollover counter for sequence number `seq`, given the sender's state. */
/** RFC 7714 §8.1: the SRTP AEAD IV, (0x0000 || SSRC || ROC || SEQ) XOR salt, written into `iv`. */
export function writeSrtpGcmIv(
  iv: Buffer,
  salt: Buffer,
  ssrc: number,
  roc: number,
  seq: number,
): void {
  iv[0] = salt[0]!;
  iv[1] = salt[1]!;
  iv.writeUInt32BE((ssrc ^ salt.readUInt32BE(2)) >>> 0, 2);
  iv.writeUInt32BE((roc ^ salt.readUInt32BE(6)) >>> 0, 6);
  iv.writeUInt16BE(seq ^ salt.readUInt16BE(10), 10);
}

/**
 * RFC 7714 §9.1: the SRTCP AEAD IV, (0x0000 || SSRC || 0x0000 || 0 || SRTCP index) XOR salt,
 * written into `iv`.
 */
export function writeSrtcpGcmIv(iv: Buffer, salt: Buffer, ssrc: number, index: number): void {
  iv[0] = salt[0]!;
  iv[1] = salt[1]!;
  iv.writeUInt32BE((ssrc ^ salt.readUInt32BE(2)) >>> 0, 2);
  iv[6] = salt[6]!;
  iv[7] = salt[7]!;
  iv.writeUInt32BE((index ^ salt.readUInt32BE(8)) >>> 0, 8);
}

export class RolloverCounter {
  #highest = -1;
  #roc = 0;

  /** The ROC to use for `seq` (a packet may be a little older than the highest sent). */
  next(seq: number): number {
    if (this.#highest < 0) {
      this.#highest = seq;
      return this.#roc;
    }
    const diff = (seq - this.#highest) & 0xffff;
    if (diff === 0) return this.#roc;
    if (diff < 0x8000) {
      // newer: did it wrap past 0xffff?
      if (seq < this.#highest) this.#roc = (this.#roc + 1) >>> 0;
      this.#highest = seq;
      return this.#roc;
    }
    // older than the highest: before the last wrap if it is numerically larger
    return seq > this.#highest ? (this.#roc - 1) >>> 0 : this.#roc;
  }
}

export class SrtpProtector {
  readonly profile: SrtpProfile;
  readonly tagLength: number;
  readonly #key: KeyObject;
  readonly #salt: Buffer;
  readonly #authKey: KeyObject | undefined;
  /** AES-GCM profile: one context for the session key (./aead-context.ts). */
  readonly #gcm: Aes128GcmContext | undefined;
  readonly #iv: Buffer;
  readonly #roc = Buffer.alloc(4);

  /** From the master key and salt (RFC 3711 §4.3.1 derivation). */
  static fromMaster(profile: SrtpProfile, masterKey: Buffer, masterSalt: Buffer): SrtpProtector {
    const lengths = masterLengths(profile);
    const key = deriveSessionKey(masterKey, masterSalt, LABEL_SRTP_ENCRYPTION, 16);
    const salt = deriveSessionKey(masterKey, masterSalt, LABEL_SRTP_SALT, lengths.salt);
    const auth =
      profile === SRTP_AES128_CM_HMAC_SHA1_80
        ? deriveSessionKey(masterKey, masterSalt, LABEL_SRTP_AUTH, 20)
        : undefined;
    return new SrtpProtector(profile, key, salt, auth);
  }

  /** From session keys directly (test vectors give them so). */
  constructor(profile: SrtpProfile, sessionKey: Buffer, sessionSalt: Buffer, authKey?: Buffer) {
    this.profile = profile;
    this.tagLength = profile === SRTP_AEAD_AES_128_GCM ? 16 : 10;
    this.#key = createSecretKey(sessionKey);
    this.#salt = Buffer.from(sessionSalt);
    if (profile === SRTP_AES128_CM_HMAC_SHA1_80) {
      if (!authKey) throw new Error('AES-CM needs an authentication key');
      this.#authKey = createSecretKey(authKey);
    }
    this.#gcm = profile === SRTP_AEAD_AES_128_GCM ? createGcmContext(sessionKey) : undefined;
    this.#iv = Buffer.alloc(profile === SRTP_AEAD_AES_128_GCM ? 12 : 16);
  }

  /**
   * Protects the RTP packet `header` + `payload`: returns header, encrypted payload and tag, in
   * `into` when it has room (from its start), else in a new buffer. The header must carry `ssrc`
   * and `seq`.
   */
  protect(
    header: Buffer,
    payload: Uint8Array,
    ssrc: number,
    seq: number,
    roc: number,
    into?: Buffer,
  ): Buffer {
    const length = header.length + payload.length + this.tagLength;
    const out =
      into && into.length >= length ? into.subarray(0, length) : Buffer.allocUnsafe(length);
    return this.profile === SRTP_AEAD_AES_128_GCM
      ? this.#protectGcm(header, payload, ssrc, seq, roc, out)
      : this.#protectCm(header, payload, ssrc, seq, roc, out);
  }

  /** RFC 7714 §8.1 IV = (0x0000 || SSRC || ROC || SEQ) XOR salt; §8.2 AAD = the RTP header. */
  #protectGcm(
    header: Buffer,
    payload: Uint8Array,
    ssrc: number,
    seq: number,
    roc: number,
    out: Buffer,
  ): Buffer {
    const iv = this.#iv;
    writeSrtpGcmIv(iv, this.#salt, ssrc, roc, seq);
    header.copy(out, 0);
    this.#gcm!.seal(iv, header, payload, out, header.length);
    return out;
  }

  /**
   * RFC 3711 §4.1.1 IV = (salt * 2^16) XOR (SSRC * 2^64) XOR (index * 2^16), index = ROC * 2^16 +
   * SEQ; §4.2 tag = first 80 bits of HMAC-SHA1(auth key, header || encrypted payload || ROC).
   */
  #protectCm(
    header: Buffer,
    payload: Uint8Array,
    ssrc: number,
    seq: number,
    roc: number,
    out: Buffer,
  ): Buffer {
    const iv = this.#iv;
    const salt = this.#salt;
    salt.copy(iv, 0, 0, 14);
    iv[14] = 0;
    iv[15] = 0;
    iv.writeUInt32BE((ssrc ^ iv.readUInt32BE(4)) >>> 0, 4);
    iv.writeUInt32BE((roc ^ iv.readUInt32BE(8)) >>> 0, 8);
    iv.writeUInt16BE(seq ^ iv.readUInt16BE(12), 12);
    const cipher = createCipheriv('aes-128-ctr', this.#key, iv);
    const encrypted = cipher.update(payload);
    header.copy(out, 0);
    encrypted.copy(out, header.length);
    this.#roc.writeUInt32BE(roc >>> 0, 0);
    const hmac = createHmac('sha1', this.#authKey!);
    hmac.update(out.subarray(0, header.length + encrypted.length));
    hmac.update(this.#roc);
    hmac.digest().copy(out, header.length + encrypted.length, 0, 10);
    return out;
  }
}
