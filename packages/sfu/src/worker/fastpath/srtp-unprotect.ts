/**
 * SRTP and SRTCP unprotection of what publishers and subscribers send us, on node:crypto (the
 * receive twin of ./srtp.ts, same two profiles and the same RFC 3711 §4.3.1 key derivation).
 *
 * Per packet: the index is estimated from the sequence number (RFC 3711 §3.3.1), checked against
 * the replay list (§3.3.2, ./replay-window.ts), authenticated and decrypted; only then are the
 * rollover counter and the replay list updated (§3.3). A packet that fails any step is dropped
 * and counted in `drops`, never thrown: whoever sends us garbage must not reach an exception path.
 */
import {
  createDecipheriv,
  createHmac,
  createSecretKey,
  timingSafeEqual,
  type KeyObject,
} from 'node:crypto';
import { createGcmContext, type Aes128GcmContext } from './aead-context';
import { ReplayWindow } from './replay-window';
import {
  deriveSessionKey,
  LABEL_SRTP_AUTH,
  LABEL_SRTP_ENCRYPTION,
  LABEL_SRTP_SALT,
  masterLengths,
  SRTP_AEAD_AES_128_GCM,
  SRTP_AES128_CM_HMAC_SHA1_80,
  type SrtpProfile,
  writeSrtcpGcmIv,
  writeSrtpGcmIv,
} from './srtp';

/** RFC 3711 §4.3.2 key derivation labels for SRTCP. */
export const LABEL_SRTCP_ENCRYPTION = 0x03;
export const LABEL_SRTCP_AUTH = 0x04;
export const LABEL_SRTCP_SALT = 0x05;

/** Session keys of one direction of one protocol (SRTP or SRTCP). */
export interface SessionKeys {
  key: Buffer;
  salt: Buffer;
  /** HMAC-SHA1 key (AES-CM profile only). */
  auth?: Buffer | undefined;
}

/** Packets dropped, by reason. */
export interface UnprotectDrops {
  /** Too short, or a header that runs past the packet. */
  malformed: number;
  /** Authentication tag did not match (tampered, or not from the peer). */
  authFailed: number;
  /** Index already received (RFC 3711 §3.3.2). */
  replayed: number;
  /** Index below the replay window: cannot tell, dropped (RFC 3711 §3.3.2). */
  tooOld: number;
}

export const emptyDrops = (): UnprotectDrops => ({
  malformed: 0,
  authFailed: 0,
  replayed: 0,
  tooOld: 0,
});

interface RtpStreamState {
  /** RFC 3711 §3.3.1 s_l: highest authenticated sequence number. */
  highestSeq: number;
  roc: number;
  readonly replay: ReplayWindow;
}

const SRTCP_INDEX_LENGTH = 4;
const SRTCP_E_FLAG = 0x80000000;
const CM_TAG_LENGTH = 10;
const GCM_TAG_LENGTH = 16;

/** One direction's cipher material, ready for per-packet use. */
class SessionCipher {
  readonly key: KeyObject;
  readonly salt: Buffer;
  readonly auth: KeyObject | undefined;
  /** AES-GCM profile: one context for this session key (./aead-context.ts). */
  readonly gcm: Aes128GcmContext | undefined;

  constructor(profile: SrtpProfile, keys: SessionKeys) {
    this.key = createSecretKey(keys.key);
    this.salt = Buffer.from(keys.salt);
    this.auth = keys.auth ? createSecretKey(keys.auth) : undefined;
    this.gcm = profile === SRTP_AEAD_AES_128_GCM ? createGcmContext(keys.key) : undefined;
  }
}

const deriveKeys = (
  profile: SrtpProfile,
  masterKey: Buffer,
  masterSalt: Buffer,
  labels: readonly [number, number, number],
): SessionKeys => {
  const saltLength = masterLengths(profile).salt;
  return {
    key: deriveSessionKey(masterKey, masterSalt, labels[0], 16),
    salt: deriveSessionKey(masterKey, masterSalt, labels[2], saltLength),
    auth:
      profile === SRTP_AES128_CM_HMAC_SHA1_80
        ? deriveSessionKey(masterKey, masterSalt, labels[1], 20)
        : undefined,
  };
};

export class SrtpUnprotector {
  readonly profile: SrtpProfile;
  /** Octets after the RTP payload: the authentication tag (RFC 3711 §3.1, RFC 7714 §8). */
  readonly rtpTrailerLength: number;
  /** Where drops are counted (a caller may share one object between unprotectors). */
  readonly drops: UnprotectDrops;
  readonly #rtp: SessionCipher;
  readonly #rtcp: SessionCipher;
  readonly #rtpStreams = new Map<number, RtpStreamState>();
  readonly #rtcpReplay = new Map<number, ReplayWindow>();
  readonly #iv: Buffer;
  readonly #word = Buffer.alloc(4);
  readonly #rtcpAad = Buffer.alloc(12);

  /** From the peer's master key and salt (RFC 5764 §4.2 key material). */
  static fromMaster(
    profile: SrtpProfile,
    masterKey: Buffer,
    masterSalt: Buffer,
    drops?: UnprotectDrops,
  ): SrtpUnprotector {
    return new SrtpUnprotector(
      profile,
      deriveKeys(profile, masterKey, masterSalt, [
        LABEL_SRTP_ENCRYPTION,
        LABEL_SRTP_AUTH,
        LABEL_SRTP_SALT,
      ]),
      deriveKeys(profile, masterKey, masterSalt, [
        LABEL_SRTCP_ENCRYPTION,
        LABEL_SRTCP_AUTH,
        LABEL_SRTCP_SALT,
      ]),
      drops,
    );
  }

  /** From session keys directly (test vectors give them so). */
  constructor(
    profile: SrtpProfile,
    rtp: SessionKeys,
    rtcp: SessionKeys,
    drops: UnprotectDrops = emptyDrops(),
  ) {
    if (profile === SRTP_AES128_CM_HMAC_SHA1_80 && (!rtp.auth || !rtcp.auth)) {
      throw new Error('AES-CM needs authentication keys');
    }
    this.profile = profile;
    this.drops = drops;
    this.rtpTrailerLength = profile === SRTP_AEAD_AES_128_GCM ? GCM_TAG_LENGTH : CM_TAG_LENGTH;
    this.#rtp = new SessionCipher(profile, rtp);
    this.#rtcp = new SessionCipher(profile, rtcp);
    this.#iv = Buffer.alloc(profile === SRTP_AEAD_AES_128_GCM ? 12 : 16);
  }

  /**
   * The decrypted payload of the SRTP packet `packet` whose RTP header (in the clear) is
   * `packet[0, headerLength)`, padding included; undefined when dropped (counted in `drops`).
   * With AES-GCM the payload is decrypted in place: the result is a view of `packet`, and a
   * packet whose tag fails is left overwritten.
   * The caller has checked that `headerLength + rtpTrailerLength <= packet.length`.
   */
  unprotectRtp(packet: Buffer, headerLength: number): Buffer | undefined {
    const seq = packet.readUInt16BE(2);
    const ssrc = packet.readUInt32BE(8);
    let stream = this.#rtpStreams.get(ssrc);
    // RFC 3711 §3.3.1: guess the ROC (v) from the highest sequence number s_l
    let v = 0;
    if (stream) {
      const sl = stream.highestSeq;
      if (sl < 32768) v = seq - sl > 32768 ? stream.roc - 1 : stream.roc;
      else v = sl - 32768 > seq ? stream.roc + 1 : stream.roc;
    }
    if (v < 0) {
      this.drops.tooOld++;
      return undefined;
    }
    const index = v * 65536 + seq;
    if (stream) {
      const verdict = stream.replay.check(index);
      if (verdict !== 'fresh') {
        if (verdict === 'replayed') this.drops.replayed++;
        else this.drops.tooOld++;
        return undefined;
      }
    }
    const payload =
      this.profile === SRTP_AEAD_AES_128_GCM
        ? this.#openRtpGcm(packet, headerLength, ssrc, seq, v)
        : this.#openRtpCm(packet, headerLength, ssrc, seq, v);
    if (!payload) {
      this.drops.authFailed++;
      return undefined;
    }
    // §3.3.1: update s_l and the ROC with the authenticated packet only
    if (!stream) {
      stream = { highestSeq: seq, roc: v, replay: new ReplayWindow() };
      this.#rtpStreams.set(ssrc, stream);
    } else if (v === stream.roc + 1) {
      stream.roc = v;
      stream.highestSeq = seq;
    } else if (v === stream.roc && seq > stream.highestSeq) {
      stream.highestSeq = seq;
    }
    stream.replay.accept(index);
    return payload;
  }

  /**
   * The plaintext compound RTCP packet of the SRTCP packet `packet` (RFC 3711 §3.4: E flag and
   * 31-bit SRTCP index after the encrypted portion); undefined when dropped (counted in `drops`).
   */
  unprotectRtcp(packet: Buffer): Buffer | undefined {
    const gcm = this.profile === SRTP_AEAD_AES_128_GCM;
    const tagLength = gcm ? GCM_TAG_LENGTH : CM_TAG_LENGTH;
    if (packet.length < 8 + SRTCP_INDEX_LENGTH + tagLength) {
      this.drops.malformed++;
      return undefined;
    }
    // CM: ... | E||index | tag (§3.4); GCM: ... | tag | E||index (RFC 7714 §9)
    const indexOffset = gcm
      ? packet.length - SRTCP_INDEX_LENGTH
      : packet.length - CM_TAG_LENGTH - SRTCP_INDEX_LENGTH;
    const trailer = packet.readUInt32BE(indexOffset);
    const encrypted = (trailer & SRTCP_E_FLAG) !== 0;
    const index = trailer & 0x7fffffff;
    const ssrc = packet.readUInt32BE(4);
    let replay = this.#rtcpReplay.get(ssrc);
    const verdict = replay?.check(index) ?? 'fresh';
    if (verdict !== 'fresh') {
      if (verdict === 'replayed') this.drops.replayed++;
      else this.drops.tooOld++;
      return undefined;
    }
    const plain = gcm
      ? this.#openRtcpGcm(packet, indexOffset, encrypted, ssrc, index)
      : this.#openRtcpCm(packet, indexOffset, encrypted, ssrc, index);
    if (!plain) {
      this.drops.authFailed++;
      return undefined;
    }
    if (!replay) {
      replay = new ReplayWindow();
      this.#rtcpReplay.set(ssrc, replay);
    }
    replay.accept(index);
    return plain;
  }

  /** RFC 7714 §8.1 IV = (0x0000 || SSRC || ROC || SEQ) XOR salt; §8.2 AAD = the RTP header. */
  #openRtpGcm(
    packet: Buffer,
    headerLength: number,
    ssrc: number,
    seq: number,
    roc: number,
  ): Buffer | undefined {
    const iv = this.#iv;
    writeSrtpGcmIv(iv, this.#rtp.salt, ssrc, roc, seq);
    // AAD = the header (RFC 7714 §9.1), decrypted in place: no sub-views but the payload's
    const length = this.#rtp.gcm!.openInPlace(iv, packet, headerLength);
    return length < 0 ? undefined : packet.subarray(headerLength, headerLength + length);
  }

  /**
   * RFC 3711 §4.2: tag = first 80 bits of HMAC-SHA1(auth key, header || encrypted payload ||
   * ROC), checked before decryption; §4.1.1 IV = (salt * 2^16) XOR (SSRC * 2^64) XOR (index * 2^16).
   */
  #openRtpCm(
    packet: Buffer,
    headerLength: number,
    ssrc: number,
    seq: number,
    roc: number,
  ): Buffer | undefined {
    const tagOffset = packet.length - CM_TAG_LENGTH;
    this.#word.writeUInt32BE(roc >>> 0, 0);
    const hmac = createHmac('sha1', this.#rtp.auth!);
    hmac.update(packet.subarray(0, tagOffset));
    hmac.update(this.#word);
    if (!timingSafeEqual(hmac.digest().subarray(0, CM_TAG_LENGTH), packet.subarray(tagOffset))) {
      return undefined;
    }
    const iv = this.#cmIv(this.#rtp.salt, ssrc);
    iv.writeUInt32BE((roc ^ iv.readUInt32BE(8)) >>> 0, 8);
    iv.writeUInt16BE(seq ^ iv.readUInt16BE(12), 12);
    return createDecipheriv('aes-128-ctr', this.#rtp.key, iv).update(
      packet.subarray(headerLength, tagOffset),
    );
  }

  /**
   * RFC 7714 §9.1 IV = (0x0000 || SSRC || 0x0000 || SRTCP index) XOR salt; §9.2 AAD = the first
   * 8 octets || E||index when encrypted, else the whole RTCP packet || E||index (§9.3). The
   * encrypted portion is decrypted in place.
   */
  #openRtcpGcm(
    packet: Buffer,
    indexOffset: number,
    encrypted: boolean,
    ssrc: number,
    index: number,
  ): Buffer | undefined {
    const iv = this.#iv;
    writeSrtcpGcmIv(iv, this.#rtcp.salt, ssrc, index);
    const tagOffset = indexOffset - GCM_TAG_LENGTH;
    const trailer = packet.subarray(indexOffset);
    let aad: Buffer;
    if (encrypted) {
      aad = this.#rtcpAad;
      packet.copy(aad, 0, 0, 8);
      trailer.copy(aad, 8, 0, 4);
    } else {
      aad = Buffer.concat([packet.subarray(0, tagOffset), trailer], tagOffset + 4);
    }
    const length = this.#rtcp.gcm!.open(
      iv,
      aad,
      packet.subarray(encrypted ? 8 : tagOffset, tagOffset),
      packet.subarray(tagOffset, indexOffset),
      packet,
      encrypted ? 8 : tagOffset,
    );
    return length < 0 ? undefined : packet.subarray(0, tagOffset);
  }

  /**
   * RFC 3711 §3.4: the tag covers header, encrypted portion and E||index; the IV is the SRTP one
   * with the SRTCP index in place of the packet index (§4.1.1).
   */
  #openRtcpCm(
    packet: Buffer,
    indexOffset: number,
    encrypted: boolean,
    ssrc: number,
    index: number,
  ): Buffer | undefined {
    const tagOffset = indexOffset + SRTCP_INDEX_LENGTH;
    const hmac = createHmac('sha1', this.#rtcp.auth!);
    hmac.update(packet.subarray(0, tagOffset));
    if (!timingSafeEqual(hmac.digest().subarray(0, CM_TAG_LENGTH), packet.subarray(tagOffset))) {
      return undefined;
    }
    if (!encrypted) return packet.subarray(0, indexOffset);
    const iv = this.#cmIv(this.#rtcp.salt, ssrc);
    iv.writeUInt32BE((index ^ iv.readUInt32BE(10)) >>> 0, 10);
    const body = createDecipheriv('aes-128-ctr', this.#rtcp.key, iv).update(
      packet.subarray(8, indexOffset),
    );
    return Buffer.concat([packet.subarray(0, 8), body]);
  }

  /** The AES-CM IV with salt and SSRC in place (index still to be XORed in). */
  #cmIv(salt: Buffer, ssrc: number): Buffer {
    const iv = this.#iv;
    salt.copy(iv, 0, 0, 14);
    iv[14] = 0;
    iv[15] = 0;
    iv.writeUInt32BE((ssrc ^ iv.readUInt32BE(4)) >>> 0, 4);
    return iv;
  }
}
