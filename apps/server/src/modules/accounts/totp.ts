import { Secret, TOTP } from 'otpauth';

// RFC 6238 defaults every authenticator app understands: SHA-1, 6 digits, 30-second steps.
function totp(secretBase32: string, label = 'user'): TOTP {
  return new TOTP({
    issuer: 'Conclave',
    label,
    secret: Secret.fromBase32(secretBase32),
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
  });
}

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export function totpUri(secretBase32: string, email: string): string {
  return totp(secretBase32, email).toString();
}

/**
 * The time step a code belongs to, or undefined when it is wrong. Accepts the current step and
 * one either side, for clock drift (RFC 6238 §5.2); callers refuse a step already used.
 */
export function totpStep(secretBase32: string, code: string, now: Date): number | undefined {
  const delta = totp(secretBase32).validate({ token: code, timestamp: now.getTime(), window: 1 });
  return delta === null ? undefined : Math.floor(now.getTime() / 30_000) + delta;
}

/** For tests and the CLI: the code an authenticator would show at `now`. */
export function totpCodeAt(secretBase32: string, now: Date): string {
  return totp(secretBase32).generate({ timestamp: now.getTime() });
}
