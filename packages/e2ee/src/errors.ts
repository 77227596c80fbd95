// Error catalogue for @conclave/e2ee: one stable code per failure the caller can act on.
// Messages never include key material, counters of other senders or plaintext.

export const E2EE_ERRORS = {
  E2EE_ERR_BAD_LENGTH: 'A key, salt, nonce or tag has the wrong length for the cipher suite.',
  E2EE_ERR_UNKNOWN_SUITE: 'The SFrame cipher suite is not supported.',
  E2EE_ERR_BAD_HEADER: 'The SFrame header is malformed or truncated.',
  E2EE_ERR_UNKNOWN_KID: 'No key is installed for the key id of this frame.',
  E2EE_ERR_KEY_EXPIRED: 'The key for this frame belongs to an epoch whose grace time has ended.',
  E2EE_ERR_AUTH_FAILED: 'Frame authentication failed: ciphertext, header or metadata was altered.',
  E2EE_ERR_REPLAY: 'The frame counter was already seen or is outside the replay window.',
  E2EE_ERR_COUNTER_EXHAUSTED: 'The sender counter reached 2^64-1; a new key is required.',
  E2EE_ERR_DUPLICATE_KID: 'A key is already installed for this key id.',
  E2EE_ERR_MLS_STATE: 'The MLS group is not in a state that allows this operation.',
  E2EE_ERR_MLS_MESSAGE: 'The MLS message is malformed or of the wrong kind.',
  E2EE_ERR_CREDENTIAL: 'A member credential failed validation.',
  E2EE_ERR_NOT_A_MEMBER: 'The local member is no longer in the group.',
} as const;

export type E2eeErrorCode = keyof typeof E2EE_ERRORS;

export class E2eeError extends Error {
  override readonly name = 'E2eeError';
  readonly code: E2eeErrorCode;

  constructor(code: E2eeErrorCode, detail?: string, options?: { cause?: unknown }) {
    super(detail ? `${E2EE_ERRORS[code]} (${detail})` : E2EE_ERRORS[code], options);
    this.code = code;
  }
}

export function isE2eeError(e: unknown, code?: E2eeErrorCode): e is E2eeError {
  return e instanceof E2eeError && (code === undefined || e.code === code);
}
