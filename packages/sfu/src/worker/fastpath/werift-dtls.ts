/** What the fast path uses of werift's DTLS socket (werift 0.24.4 `DtlsSocket`). */
export interface WeriftDtlsSocket {
  srtp: { srtpProfile?: number };
  /** RFC 5764 §4.2: the SRTP master keys and salts exported from the DTLS handshake. */
  extractSessionKeys(
    keyLength: number,
    saltLength: number,
  ): { localKey: Buffer; localSalt: Buffer; remoteKey: Buffer; remoteSalt: Buffer };
}
