import { randomBytes, timingSafeEqual } from 'node:crypto';
import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'conclave_session';
/** Readable by the web app's script: it copies the value into the `x-csrf-token` header. */
export const CSRF_COOKIE = 'conclave_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export interface CookiePolicy {
  /** Secure cookies need TLS; plain-HTTP localhost installs would otherwise never sign in. */
  secure: boolean;
  sessionTtlMs: number;
}

/** The government requester portal's own session cookie (requesters are not users). */
export const REQUESTER_COOKIE = 'conclave_legal_session';

export function requesterCookieValue(req: FastifyRequest): string | undefined {
  const v = req.cookies[REQUESTER_COOKIE];
  return v && v.length <= 100 ? v : undefined;
}

export function setRequesterCookie(reply: FastifyReply, policy: CookiePolicy, token: string): void {
  void reply.setCookie(REQUESTER_COOKIE, token, {
    path: '/api/legal/portal',
    httpOnly: true,
    sameSite: 'strict',
    secure: policy.secure,
    maxAge: Math.floor(policy.sessionTtlMs / 1000),
  });
}

export function clearRequesterCookie(reply: FastifyReply, policy: CookiePolicy): void {
  void reply.clearCookie(REQUESTER_COOKIE, {
    path: '/api/legal/portal',
    httpOnly: true,
    sameSite: 'strict',
    secure: policy.secure,
  });
}

export function sessionCookieValue(req: FastifyRequest): string | undefined {
  const v = req.cookies[SESSION_COOKIE];
  return v && v.length <= 100 ? v : undefined;
}

export function setSessionCookie(reply: FastifyReply, policy: CookiePolicy, token: string): void {
  void reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: policy.secure,
    maxAge: Math.floor(policy.sessionTtlMs / 1000),
  });
}

export function clearSessionCookie(reply: FastifyReply, policy: CookiePolicy): void {
  void reply.clearCookie(SESSION_COOKIE, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: policy.secure,
  });
}

/** The caller's CSRF token, issuing one (cookie) when there is none yet. */
export function ensureCsrfToken(
  req: FastifyRequest,
  reply: FastifyReply,
  policy: CookiePolicy,
): string {
  const existing = req.cookies[CSRF_COOKIE];
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const token = randomBytes(32).toString('base64url');
  // Not HttpOnly on purpose (double-submit pattern): the page reads it; other sites cannot.
  void reply.setCookie(CSRF_COOKIE, token, {
    path: '/',
    httpOnly: false,
    sameSite: 'strict',
    secure: policy.secure,
  });
  return token;
}

/**
 * Double-submit check (OWASP CSRF cheat sheet): a cross-site page can make the browser send our
 * cookies but cannot read them, so it cannot copy the token into the header.
 */
export function csrfTokenMatches(req: FastifyRequest): boolean {
  const cookie = req.cookies[CSRF_COOKIE];
  const header = req.headers[CSRF_HEADER];
  if (!cookie || typeof header !== 'string') return false;
  const a = Buffer.from(cookie);
  const b = Buffer.from(header);
  return a.length === b.length && a.length >= 32 && timingSafeEqual(a, b);
}
