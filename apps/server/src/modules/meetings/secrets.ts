import { createHash, randomBytes, randomInt, scryptSync, timingSafeEqual } from 'node:crypto';

// Passcodes are short and human-chosen: scrypt with a per-meeting salt. Host keys are 256-bit
// random tokens: a SHA-256 is enough. Comparisons are constant time.

export function newHostKey(): string {
  return randomBytes(32).toString('base64url');
}

export function newMeetingNumber(): string {
  // 11 digits, first digit non-zero so the id never loses a leading zero in a spreadsheet.
  let id = String(randomInt(1, 10));
  for (let i = 0; i < 10; i++) id += String(randomInt(0, 10));
  return id;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

export function tokenMatches(token: string, hash: string): boolean {
  const a = Buffer.from(hashToken(token));
  const b = Buffer.from(hash);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function hashPasscode(passcode: string): string {
  const salt = randomBytes(16);
  const dk = scryptSync(passcode, salt, 32);
  return `scrypt$${salt.toString('base64url')}$${dk.toString('base64url')}`;
}

export function passcodeMatches(passcode: string, stored: string): boolean {
  const [scheme, saltB64, dkB64] = stored.split('$');
  if (scheme !== 'scrypt' || !saltB64 || !dkB64) return false;
  const expected = Buffer.from(dkB64, 'base64url');
  const actual = scryptSync(passcode, Buffer.from(saltB64, 'base64url'), expected.length);
  return timingSafeEqual(actual, expected);
}
