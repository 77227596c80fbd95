export interface SessionRecord {
  /** SHA-256 of the cookie value; the value itself is never stored. */
  id: string;
  userId: string;
  createdAt: Date;
  expiresAt: Date;
}

/** Storage port for sign-in sessions. */
export interface SessionStore {
  insertSession(session: SessionRecord): Promise<void>;
  findSession(id: string): Promise<SessionRecord | undefined>;
  deleteSession(id: string): Promise<void>;
  /** Sign-out everywhere (but `exceptId`, when given); returns how many sessions ended. */
  deleteUserSessions(userId: string, exceptId?: string): Promise<number>;
}
