import { timingSafeEqual } from 'node:crypto';
import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CsrfTokens } from './csrf';

export const SESSION_COOKIE = 'conclave_session';
/** Readable by the web app's script: it copies the value into the `x-csrf-token` header. */
export const CSRF_COOKIE = 'conclave_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export interface CookiePolicy {
  /** Secure cookies need TLS; plain-HTTP localhost installs would otherwise never sign in. */
  secure: boolean;
  sessionTtlMs: number;
  /** Mints and verifies the session-bound CSRF tokens (csrf.ts). */
  csrf: CsrfTokens;
}

/** The government requester portal's own session cookie (requesters are not users). */
export const REQUESTER_COOKIE = 'conclave_legal_session';
/** The CSRF token bound to the requester session; the portal sends it instead of `conclave_csrf`. */
export const REQUESTER_CSRF_COOKIE = 'conclave_legal_csrf';
const PORTAL_API = '/api/legal/portal/';

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

/**
 * Which session a CSRF token is bound to, and so which cookie carries it. Requests to the
 * requester portal that carry a requester session use `requester`; every other request uses
 * `user` (bound to the user session cookie, or to "anonymous" without one). Two cookies, so a
 * browser holding both sessions keeps a valid token for each (cookies.ts `csrfScopeOf`).
 */
export type CsrfScope = 'user' | 'requester';

const CSRF_COOKIES: Record<CsrfScope, string> = {
  user: CSRF_COOKIE,
  requester: REQUESTER_CSRF_COOKIE,
};

/** The scope and session the CSRF check of this request binds to. */
export function csrfScopeOf(req: FastifyRequest): { scope: CsrfScope; session?: string } {
  const requester = req.routeOptions.url?.startsWith(PORTAL_API)
    ? requesterCookieValue(req)
    : undefined;
  if (requester !== undefined) return { scope: 'requester', session: requester };
  const session = sessionCookieValue(req);
  return session === undefined ? { scope: 'user' } : { scope: 'user', session };
}

/**
 * A fresh token bound to `session` (the NEW session after a sign-in or sign-out), set as the
 * scope's cookie. Call it whenever the session behind the scope changes.
 */
export function issueCsrfToken(
  reply: FastifyReply,
  policy: CookiePolicy,
  scope: CsrfScope,
  session: string | undefined,
): string {
  const token = policy.csrf.mint(session);
  // Not HttpOnly on purpose (double-submit pattern): the page reads it; other sites cannot.
  // With a session it lives as long as the session cookie, so the two expire together.
  void reply.setCookie(CSRF_COOKIES[scope], token, {
    path: '/',
    httpOnly: false,
    sameSite: 'strict',
    secure: policy.secure,
    ...(session !== undefined ? { maxAge: Math.floor(policy.sessionTtlMs / 1000) } : {}),
  });
  return token;
}

/** Removes the requester scope's token (portal sign-out). */
export function clearRequesterCsrfToken(reply: FastifyReply, policy: CookiePolicy): void {
  void reply.clearCookie(REQUESTER_CSRF_COOKIE, {
    path: '/',
    httpOnly: false,
    sameSite: 'strict',
    secure: policy.secure,
  });
}

/**
 * The caller's CSRF token for the session this request carries: the cookie's token when it is
 * valid for that session, else a fresh one (cookie).
 */
export function ensureCsrfToken(
  req: FastifyRequest,
  reply: FastifyReply,
  policy: CookiePolicy,
): string {
  const { scope, session } = csrfScopeOf(req);
  const existing = req.cookies[CSRF_COOKIES[scope]];
  if (existing && policy.csrf.verify(existing, session)) return existing;
  return issueCsrfToken(reply, policy, scope, session);
}

/**
 * Signed double-submit check (OWASP CSRF cheat sheet, "Signed Double-Submit Cookie"): a
 * cross-site page can make the browser send our cookies but cannot read them, so it cannot copy
 * the token into the header; and a token planted by cookie tossing carries no valid HMAC for the
 * victim's session. Both comparisons are constant-time.
 */
export function csrfTokenMatches(req: FastifyRequest, policy: CookiePolicy): boolean {
  const { scope, session } = csrfScopeOf(req);
  const cookie = req.cookies[CSRF_COOKIES[scope]];
  const header = req.headers[CSRF_HEADER];
  if (!cookie || typeof header !== 'string') return false;
  const a = Buffer.from(cookie);
  const b = Buffer.from(header);
  if (a.length !== b.length || a.length < 32 || !timingSafeEqual(a, b)) return false;
  return policy.csrf.verify(cookie, session);
}
