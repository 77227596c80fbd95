// RFC 8410 DER wrappings of raw OKP keys (Ed25519, X25519): WebCrypto imports a raw private key
// only as PKCS #8 (or JWK), node:crypto only as PKCS #8, SPKI or JWK.

/** RFC 8410 §3 object identifiers 1.3.101.<arc>: the last arc names the algorithm. */
export const OID_ARC_X25519 = 110;
export const OID_ARC_ED25519 = 112;

/** RFC 8410 §7 OneAsymmetricKey (PrivateKeyInfo) prefix for a 32-byte private key. */
export const okpPkcs8Prefix = (arc: number): Uint8Array =>
  Uint8Array.of(
    0x30,
    0x2e,
    0x02,
    0x01,
    0x00,
    0x30,
    0x05,
    0x06,
    0x03,
    0x2b,
    0x65,
    arc,
    0x04,
    0x22,
    0x04,
    0x20,
  );

/** RFC 8410 §4 SubjectPublicKeyInfo prefix for a 32-byte public key. */
export const okpSpkiPrefix = (arc: number): Uint8Array =>
  Uint8Array.of(0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, arc, 0x03, 0x21, 0x00);

/** `prefix` followed by `key`, in a fresh buffer. */
export const derPrefixed = (prefix: Uint8Array, key: Uint8Array): Uint8Array<ArrayBuffer> => {
  const der = new Uint8Array(prefix.length + key.length);
  der.set(prefix, 0);
  der.set(key, prefix.length);
  return der;
};
