/**
 * RTCP we originate (receiver reports, transport-cc feedback: ../rtcp/publish-rtcp.ts) protected
 * by ./srtcp-protect.ts and sent on the nominated pair (./nominated-send.ts), instead of werift's
 * `RTCDtlsTransport.sendRtcp` (werift 0.24.4: its SrtcpSession, a promise and werift's ICE send
 * per packet). Keys: our half of the DTLS-SRTP key material (RFC 5764 §4.2), a new protector for
 * a new SRTP session. The sender SSRCs used here must be ours alone (see ./srtcp-protect.ts).
 */
import type { RTCDtlsTransport } from 'werift';
import { sendToPeer } from './nominated-send';
import { masterLengths, SRTP_AEAD_AES_128_GCM, SRTP_AES128_CM_HMAC_SHA1_80 } from './srtp';
import { SrtcpProtector } from './srtcp-protect';
import type { WeriftDtlsSocket } from './werift-dtls';

/** What we use of werift's DTLS transport (werift 0.24.4). */
interface DtlsInternals {
  state: string;
  srtp?: object;
  dtls?: WeriftDtlsSocket;
}

const protectors = new WeakMap<object, SrtcpProtector>();

const protectorFor = (t: DtlsInternals): SrtcpProtector | undefined => {
  const session = t.srtp;
  const profile = t.dtls?.srtp.srtpProfile;
  if (!session || !t.dtls) return undefined;
  if (profile !== SRTP_AEAD_AES_128_GCM && profile !== SRTP_AES128_CM_HMAC_SHA1_80) {
    return undefined;
  }
  let protector = protectors.get(session);
  if (!protector) {
    const lengths = masterLengths(profile);
    const keys = t.dtls.extractSessionKeys(lengths.key, lengths.salt);
    protector = SrtcpProtector.fromMaster(profile, keys.localKey, keys.localSalt);
    protectors.set(session, protector);
  }
  return protector;
};

/**
 * Sends the compound RTCP packet `rtcp` to the peer of `dtlsTransport`; false when it cannot
 * (DTLS not connected, no SRTP session yet, or the sender SSRC's index space is used up).
 */
export const sendRtcp = (dtlsTransport: RTCDtlsTransport, rtcp: Buffer): boolean => {
  const t = dtlsTransport as unknown as DtlsInternals;
  if (t.state !== 'connected') return false;
  const srtcp = protectorFor(t)?.protect(rtcp);
  if (!srtcp) return false;
  sendToPeer(dtlsTransport, srtcp);
  return true;
};
