import pino from 'pino';
import type { Logger } from 'pino';

export type { Logger };

/**
 * Paths whose values never reach a log line (CONVENTIONS.md rule 7): passcodes, host keys,
 * resume tokens, cookies, and anything named like a secret.
 */
export const REDACT_PATHS = [
  'passcode',
  'hostKey',
  'resumeToken',
  'password',
  'secret',
  'token',
  'key',
  '*.passcode',
  '*.hostKey',
  '*.resumeToken',
  '*.password',
  '*.secret',
  '*.token',
  '*.key',
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    { level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { service: 'conclave' } },
    destination,
  );
}
