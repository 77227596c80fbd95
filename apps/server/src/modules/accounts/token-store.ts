export type TokenPurpose = 'reset' | 'invite';

export interface OneTimeTokenRecord {
  /** SHA-256 of the token in the emailed link. */
  id: string;
  userId: string;
  purpose: TokenPurpose;
  createdAt: Date;
  expiresAt: Date;
}

/** Storage port for one-time links (password reset, invite). */
export interface TokenStore {
  insertToken(token: OneTimeTokenRecord): Promise<void>;
  /**
   * Uses the token once: returns its user when it exists, has this purpose, is unused and not
   * expired at `now`; a second call with the same token returns undefined.
   */
  consumeToken(id: string, purpose: TokenPurpose, now: Date): Promise<string | undefined>;
  /** Voids every unused token of the user for this purpose (a new link replaces old ones). */
  voidTokens(userId: string, purpose: TokenPurpose, now: Date): Promise<void>;
}
