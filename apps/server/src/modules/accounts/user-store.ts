import type { AccountRole } from '@conclave/protocol';

export type UserStatus = 'invited' | 'active' | 'deactivated';

/** A user as stored. The password only as an argon2id hash; the TOTP secret as issued. */
export interface UserRecord {
  id: string;
  accountId: string;
  /** Lower-cased. */
  email: string;
  name: string;
  role: AccountRole;
  status: UserStatus;
  passwordHash: string | null;
  totpSecret: string | null;
  totpPendingSecret: string | null;
  /** The last TOTP time step accepted; codes of this step or earlier are refused. */
  totpLastStep: number;
  failedLogins: number;
  lockedUntil: Date | null;
  createdAt: Date;
}

export type UserPatch = Partial<
  Pick<
    UserRecord,
    | 'name'
    | 'role'
    | 'status'
    | 'passwordHash'
    | 'totpSecret'
    | 'totpPendingSecret'
    | 'totpLastStep'
    | 'failedLogins'
    | 'lockedUntil'
  >
>;

export interface UserQuery {
  q?: string;
  limit: number;
  offset: number;
}

/** Storage port for users and their recovery codes. */
export interface UserStore {
  /** Returns false when the email address is taken. */
  insertUser(user: UserRecord): Promise<boolean>;
  findUserById(id: string): Promise<UserRecord | undefined>;
  findUserByEmail(email: string): Promise<UserRecord | undefined>;
  /** Who has this email, without reading (decrypting) the TOTP columns: for operator repairs. */
  findUserRefByEmail(
    email: string,
  ): Promise<{ id: string; accountId: string; role: AccountRole } | undefined>;
  /** Users of one account, by email; `q` matches email or name as plain text (no wildcards). */
  listUsers(accountId: string, query: UserQuery): Promise<{ users: UserRecord[]; total: number }>;
  updateUser(id: string, patch: UserPatch): Promise<void>;
  /**
   * Records a TOTP step as used if it is newer than the last one: false when it is not (a
   * replayed code), decided in one conditional UPDATE so two concurrent uses cannot both pass.
   */
  useTotpStep(id: string, step: number): Promise<boolean>;
  countActiveOwners(accountId: string): Promise<number>;
  /** Replaces every recovery code of the user with these (already hashed) ones. */
  replaceRecoveryCodes(userId: string, codeHashes: string[]): Promise<void>;
  /** Marks one unused code used; false when there is no such unused code. */
  useRecoveryCode(userId: string, codeHash: string, at: Date): Promise<boolean>;
  countUnusedRecoveryCodes(userId: string): Promise<number>;
}
