import pino from 'pino';
import type { Logger } from 'pino';

export type { Logger };

/**
 * Paths whose values never reach a log line (CONVENTIONS.md rule 7): passcodes, host keys,
 * resume tokens, passwords, TOTP secrets and codes, the server secret key (`secretKey`), session
 * ids, CSRF tokens, cookies, and anything named like a secret. Request bodies are never logged
 * whole (fastify logs only the method and URL), so these keys cover objects code passes to the
 * logger on purpose.
 */
const SECRET_KEYS = [
  'passcode',
  'hostKey',
  'resumeToken',
  'password',
  'currentPassword',
  'newPassword',
  'passwordHash',
  'secret',
  'totpSecret',
  'totpPendingSecret',
  'totpCode',
  'recoveryCode',
  'recoveryCodes',
  'otpauthUrl',
  'token',
  'csrfToken',
  'sessionId',
  'key',
  'secretKey',
];

export const REDACT_PATHS = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((k) => `*.${k}`),
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    { level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { service: 'conclave' } },
    destination,
  );
}
