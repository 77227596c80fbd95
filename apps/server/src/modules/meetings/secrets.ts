import { createHash, randomBytes, randomInt, scrypt, timingSafeEqual } from 'node:crypto';

// Passcodes are short and human-chosen: scrypt with a per-meeting salt, run on libuv's thread
// pool (never scryptSync: one guess would block every meeting's signaling for its duration).
// Host keys are 256-bit random tokens: a SHA-256 is enough. Comparisons are constant time.

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

function scryptAsync(passcode: string, salt: Buffer, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(passcode, salt, length, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export async function hashPasscode(passcode: string): Promise<string> {
  const salt = randomBytes(16);
  const dk = await scryptAsync(passcode, salt, 32);
  return `scrypt$${salt.toString('base64url')}$${dk.toString('base64url')}`;
}

export async function passcodeMatches(passcode: string, stored: string): Promise<boolean> {
  const [scheme, saltB64, dkB64] = stored.split('$');
  if (scheme !== 'scrypt' || !saltB64 || !dkB64) return false;
  const expected = Buffer.from(dkB64, 'base64url');
  const actual = await scryptAsync(passcode, Buffer.from(saltB64, 'base64url'), expected.length);
  return timingSafeEqual(actual, expected);
}
