import { createHash, randomBytes, randomInt } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

// Sessions, reset and invite links are 256-bit random tokens: only their SHA-256 is stored, so a
// copy of the database opens no session. Passwords are human-chosen: argon2id.

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

// OWASP password storage cheat sheet, argon2id option 2: m=19 MiB, t=2, p=1. `algorithm: 2` is
// Argon2id (the package exports a const enum, which isolated modules cannot inline).
const ARGON2ID = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2ID);
}

/** Constant work whether or not the user exists, so timing does not reveal valid emails. */
export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (!stored) {
    await hash(password, ARGON2ID);
    return false;
  }
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

const CODE_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** Ten one-time recovery codes like `k3m9p-x2ab7` (50 bits each). */
export function newRecoveryCodes(count = 10): string[] {
  return Array.from({ length: count }, () => {
    let s = '';
    for (let i = 0; i < 10; i++) s += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
    return `${s.slice(0, 5)}-${s.slice(5)}`;
  });
}

/** Salted with the user id so equal codes of two users never share a hash. */
export function hashRecoveryCode(userId: string, code: string): string {
  return sha256Hex(`${userId}:${code.toLowerCase().replace(/-/g, '')}`);
}
