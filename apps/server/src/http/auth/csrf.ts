import { createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

// Signed double-submit cookie, bound to the session: OWASP CSRF Prevention Cheat Sheet,
// "Alternative: Using A Double-Submit Cookie Pattern" → "Signed Double-Submit Cookie
// (RECOMMENDED)". The naive pattern (a bare random cookie echoed in a header) lets anyone who
// can plant a cookie for our host (a sibling subdomain, plain HTTP) choose both sides; here the
// token also carries an HMAC over the caller's session, which a planted token cannot have.
//
//   token   = random "." HMAC-SHA256(csrfKey, len(binding) "!" binding "!" len(random) "!" random)
//   binding = "session:" SHA-256(session token)   or   "anonymous" (no session cookie)
//   csrfKey = HKDF-SHA256(server secret key, info "conclave csrf-token v1")
//
// The session token itself never enters the HMAC input, only its hash (the cheat sheet's
// "session-dependent value"); the lengths keep two different (binding, random) pairs from
// serialising to the same message.

const KEY_BYTES = 32;
const RANDOM_BYTES = 32;
const HKDF_INFO = 'conclave csrf-token v1';
/** base64url of 32 random bytes, a dot, base64url of a 32-byte HMAC. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}$/;

/** Mints and verifies session-bound CSRF tokens with a key derived from the server secret key. */
export class CsrfTokens {
  readonly #key: Buffer;

  constructor(secretKey: Buffer) {
    if (secretKey.length !== KEY_BYTES)
      throw new TypeError(`The secret key must be ${KEY_BYTES} bytes, got ${secretKey.length}.`);
    // A key of its own: the raw secret key encrypts secret columns and is never reused here.
    this.#key = Buffer.from(hkdfSync('sha256', secretKey, Buffer.alloc(0), HKDF_INFO, KEY_BYTES));
  }

  /** A fresh token bound to `session` (the session cookie's value; undefined when signed out). */
  mint(session: string | undefined): string {
    const random = randomBytes(RANDOM_BYTES).toString('base64url');
    return `${random}.${this.#mac(session, random).toString('base64url')}`;
  }

  /** True when `token` was minted by this server for exactly this `session`. */
  verify(token: string, session: string | undefined): boolean {
    if (!TOKEN_SHAPE.test(token)) return false;
    const [random, mac] = token.split('.') as [string, string];
    const expected = this.#mac(session, random);
    const given = Buffer.from(mac, 'base64url');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  #mac(session: string | undefined, random: string): Buffer {
    const binding =
      session === undefined
        ? 'anonymous'
        : `session:${createHash('sha256').update(session).digest('hex')}`;
    return createHmac('sha256', this.#key)
      .update(`${binding.length}!${binding}!${random.length}!${random}`)
      .digest();
  }
}
