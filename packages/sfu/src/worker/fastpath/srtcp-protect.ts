/**
 * SRTCP protection of the RTCP we originate (receiver reports, transport-cc feedback), on
 * node:crypto: the send twin of `SrtpUnprotector.unprotectRtcp` (./srtp-unprotect.ts), the same
 * two profiles and RFC 3711 §4.3.1 key derivation as ./srtp.ts.
 *
 * The SRTCP index is kept per sender SSRC (RFC 3711 §3.4: one cryptographic context per SSRC;
 * libsrtp and werift's SrtcpSession keep it so too). werift's own SRTCP context, under the same
 * keys, still sends werift's RTCP (PLI, NACK, sender reports) with werift's SSRCs; an SSRC must be
 * protected by one of the two only, or (SSRC, index) and with it the AES-GCM nonce would repeat.
 */
import { createCipheriv, createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import {
  deriveSessionKey,
  masterLengths,
  SRTP_AEAD_AES_128_GCM,
  SRTP_AES128_CM_HMAC_SHA1_80,
  type SrtpProfile,
  writeSrtcpGcmIv,
} from './srtp';
import { createGcmContext, type Aes128GcmContext } from './aead-context';
import { LABEL_SRTCP_AUTH, LABEL_SRTCP_ENCRYPTION, LABEL_SRTCP_SALT } from './srtp-unprotect';

const SRTCP_E_FLAG = 0x80000000;
/** RFC 3711 §3.4: the SRTCP index is 31 bits; the keys must change before it wraps. */
const MAX_INDEX = 0x7fffffff;
const CM_TAG_LENGTH = 10;
const GCM_TAG_LENGTH = 16;

export class SrtcpProtector {
  readonly profile: SrtpProfile;
  readonly #key: KeyObject;
  readonly #salt: Buffer;
  readonly #auth: KeyObject | undefined;
  /** AES-GCM profile: one context for the session key (./aead-context.ts). */
  readonly #gcm: Aes128GcmContext | undefined;
  readonly #aad = Buffer.alloc(12);
  readonly #iv: Buffer;
  readonly #indexBySsrc = new Map<number, number>();

  /** From our master key and salt (RFC 5764 §4.2 key material, the local half). */
  static fromMaster(profile: SrtpProfile, masterKey: Buffer, masterSalt: Buffer): SrtcpProtector {
    const saltLength = masterLengths(profile).salt;
    return new SrtcpProtector(
      profile,
      deriveSessionKey(masterKey, masterSalt, LABEL_SRTCP_ENCRYPTION, 16),
      deriveSessionKey(masterKey, masterSalt, LABEL_SRTCP_SALT, saltLength),
      profile === SRTP_AES128_CM_HMAC_SHA1_80
        ? deriveSessionKey(masterKey, masterSalt, LABEL_SRTCP_AUTH, 20)
        : undefined,
    );
  }

  /** From session keys directly (test vectors give them so). */
  constructor(profile: SrtpProfile, sessionKey: Buffer, sessionSalt: Buffer, authKey?: Buffer) {
    if (profile === SRTP_AES128_CM_HMAC_SHA1_80 && !authKey) {
      throw new Error('AES-CM needs an authentication key');
    }
    this.profile = profile;
    this.#key = createSecretKey(sessionKey);
    this.#salt = Buffer.from(sessionSalt);
    this.#auth = authKey ? createSecretKey(authKey) : undefined;
    this.#gcm = profile === SRTP_AEAD_AES_128_GCM ? createGcmContext(sessionKey) : undefined;
    this.#iv = Buffer.alloc(profile === SRTP_AEAD_AES_128_GCM ? 12 : 16);
  }

  /**
   * The SRTCP packet of the compound RTCP packet `rtcp` (encrypted, E = 1), with the next index
   * of its sender SSRC (octets 4..7); undefined once that SSRC's index space is used up.
   */
  protect(rtcp: Buffer): Buffer | undefined {
    if (rtcp.length < 8) throw new TypeError('an RTCP packet has at least 8 octets');
    const ssrc = rtcp.readUInt32BE(4);
    const index = this.#indexBySsrc.get(ssrc) ?? 0;
    if (index > MAX_INDEX) return undefined;
    this.#indexBySsrc.set(ssrc, index + 1);
    return this.profile === SRTP_AEAD_AES_128_GCM
      ? this.protectWithIndex(rtcp, ssrc, index)
      : this.#protectCm(rtcp, ssrc, index);
  }

  /**
   * RFC 7714 §9.1 IV = (0x0000 || SSRC || 0x0000 || SRTCP index) XOR salt; §9.2 AAD = the first
   * 8 octets || E||index; out = header || ciphertext || tag || E||index (§9.3). Exposed for the
   * RFC 7714 §17 vector, whose index is given.
   */
  protectWithIndex(rtcp: Buffer, ssrc: number, index: number): Buffer {
    if (this.profile !== SRTP_AEAD_AES_128_GCM) return this.#protectCm(rtcp, ssrc, index);
    const iv = this.#iv;
    writeSrtcpGcmIv(iv, this.#salt, ssrc, index);
    const out = Buffer.allocUnsafe(rtcp.length + GCM_TAG_LENGTH + 4);
    rtcp.copy(out, 0, 0, 8);
    const trailerOffset = rtcp.length + GCM_TAG_LENGTH;
    out.writeUInt32BE((SRTCP_E_FLAG | index) >>> 0, trailerOffset);
    const aad = this.#aad;
    out.copy(aad, 0, 0, 8);
    out.copy(aad, 8, trailerOffset, trailerOffset + 4);
    // ciphertext || tag lands at 8 .. rtcp.length + 16, just before E||index
    this.#gcm!.seal(iv, aad, rtcp.subarray(8), out, 8);
    return out;
  }

  /**
   * RFC 3711 §3.4: header || encrypted portion || E||index || tag, the tag being the first 80
   * bits of HMAC-SHA1 over all that precedes it (§4.2); §4.1.1 IV = (salt * 2^16) XOR
   * (SSRC * 2^64) XOR (index * 2^16).
   */
  #protectCm(rtcp: Buffer, ssrc: number, index: number): Buffer {
    const iv = this.#iv;
    this.#salt.copy(iv, 0, 0, 14);
    iv[14] = 0;
    iv[15] = 0;
    iv.writeUInt32BE((ssrc ^ iv.readUInt32BE(4)) >>> 0, 4);
    iv.writeUInt32BE((index ^ iv.readUInt32BE(10)) >>> 0, 10);
    const out = Buffer.allocUnsafe(rtcp.length + 4 + CM_TAG_LENGTH);
    rtcp.copy(out, 0, 0, 8);
    createCipheriv('aes-128-ctr', this.#key, iv).update(rtcp.subarray(8)).copy(out, 8);
    out.writeUInt32BE((SRTCP_E_FLAG | index) >>> 0, rtcp.length);
    const hmac = createHmac('sha1', this.#auth!);
    hmac.update(out.subarray(0, rtcp.length + 4));
    hmac.digest().copy(out, rtcp.length + 4, 0, CM_TAG_LENGTH);
    return out;
  }
}
