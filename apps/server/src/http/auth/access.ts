import { ConclaveError } from '@conclave/protocol';
import type { AccountRole } from '@conclave/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthService, SessionContext } from '../../modules/accounts/auth-service';
import type { RequesterContext } from '../../modules/legal/requester-service';
import type { CookiePolicy } from './cookies';
import { csrfTokenMatches, requesterCookieValue, sessionCookieValue } from './cookies';

/**
 * Who may call a route. Every /api route declares one in `config.access`; a route without it
 * fails at registration (deny by default).
 * - `public`: anyone, signed in or not.
 * - `enrolment`: any signed-in user, even one who still has to set up required 2FA.
 * - `signed-in`: any signed-in user of any role.
 * - `account-admin`: owners and admins of the caller's own account.
 * - `requester-session`: a signed-in government requester, verified or not (portal enrolment).
 * - `requester`: a requester who verified the email, enrolled TOTP and accepted the attestation.
 * - `legal`: `legal_reviewer` or `legal_admin` of the operator account, with 2FA enrolled.
 * - `legal-admin`: `legal_admin` of the operator account.
 */
export type Access =
  | 'public'
  | 'enrolment'
  | 'signed-in'
  | 'account-admin'
  | 'requester-session'
  | 'requester'
  | 'legal'
  | 'legal-admin';

/** How the access check reaches the trust center without importing it. */
export interface LegalAccess {
  resolveRequester(token: string): Promise<RequesterContext | undefined>;
  /** Legal roles count only in this account (a customer admin cannot mint reviewers). */
  operatorAccountId(): Promise<string | undefined>;
}

const ADMIN_ROLES: readonly AccountRole[] = ['owner', 'admin'];

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /**
     * `when-signed-in`: a state-changing request needs the CSRF header only when it carries a
     * session cookie (guest meeting creation, which must keep working for anonymous scripts).
     * Default: every state-changing request needs it.
     */
    csrf?: 'always' | 'when-signed-in';
  }
  interface FastifyRequest {
    auth: SessionContext | null;
    requester: RequesterContext | null;
  }
  interface FastifyInstance {
    routeTable: RouteEntry[];
  }
}

export interface RouteEntry {
  method: string;
  url: string;
  access: Access | 'non-api';
}

/**
 * Routes outside /api (health, signaling with its in-protocol auth, the web app's files) are
 * public by design and may only read: a state-changing route outside /api fails registration.
 */
const NON_API_METHODS = new Set(['GET', 'HEAD']);

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Installs the route registry, session resolution, the access check and the CSRF check. */
export function installAccessControl(
  app: FastifyInstance,
  auth: AuthService,
  cookies: CookiePolicy,
  legal?: LegalAccess,
): void {
  app.decorate('routeTable', [] as RouteEntry[]);
  app.decorateRequest('auth', null);
  app.decorateRequest('requester', null);

  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const access = route.config?.access;
    const isApi = route.url.startsWith('/api/');
    if (isApi && !access)
      throw new Error(`route ${methods.join(',')} ${route.url} declares no config.access`);
    // Every state-changing API route validates its body with a declared zod schema (http/route.ts).
    if (isApi && methods.some((m) => !SAFE_METHODS.has(m)) && !route.config?.schemas?.body)
      throw new Error(`route ${methods.join(',')} ${route.url} declares no body schema`);
    if (!isApi && !methods.every((m) => NON_API_METHODS.has(m)))
      throw new Error(`route ${methods.join(',')} ${route.url} changes state outside /api`);
    for (const method of methods)
      if (method !== 'HEAD')
        app.routeTable.push({ method, url: route.url, access: access ?? 'non-api' });
  });

  app.addHook('onRequest', async (req) => {
    const config = req.routeOptions.config;
    const access = config.access;
    if (!access) return; // non-API routes
    let token: string | undefined;
    if (access === 'requester' || access === 'requester-session') {
      // Requesters have their own cookie and table: a user session never opens the portal.
      token = requesterCookieValue(req);
      req.requester = token && legal ? ((await legal.resolveRequester(token)) ?? null) : null;
      if (!req.requester) throw new ConclaveError('NOT_SIGNED_IN');
      if (access === 'requester' && !req.requester.verified)
        throw new ConclaveError('LEGAL_REQUESTER_NOT_VERIFIED');
    } else {
      token = sessionCookieValue(req);
      req.auth = token ? ((await auth.resolve(token)) ?? null) : null;
      checkAccess(req.auth, access);
      if (access === 'legal' || access === 'legal-admin')
        await checkLegal(req.auth!, access, legal);
    }
    if (SAFE_METHODS.has(req.method)) return;
    const needsCsrf = config.csrf !== 'when-signed-in' || token !== undefined;
    if (needsCsrf && !csrfTokenMatches(req, cookies)) throw new ConclaveError('CSRF_TOKEN_INVALID');
  });
}

function checkAccess(ctx: SessionContext | null, access: Access): void {
  if (access === 'public') return;
  if (!ctx) throw new ConclaveError('NOT_SIGNED_IN');
  if (access === 'enrolment') return;
  if (ctx.mustEnrollTwoFactor) throw new ConclaveError('TWO_FACTOR_ENROLLMENT_REQUIRED');
  if (access === 'signed-in') return;
  if (access === 'account-admin' && ADMIN_ROLES.includes(ctx.user.role)) return;
  if (access === 'legal' || access === 'legal-admin') return; // checkLegal decides
  throw new ConclaveError('FORBIDDEN');
}

async function checkLegal(
  ctx: SessionContext,
  access: 'legal' | 'legal-admin',
  legal: LegalAccess | undefined,
): Promise<void> {
  const roles: readonly AccountRole[] =
    access === 'legal' ? ['legal_reviewer', 'legal_admin'] : ['legal_admin'];
  if (!legal || !roles.includes(ctx.user.role)) throw new ConclaveError('FORBIDDEN');
  if (ctx.account.id !== (await legal.operatorAccountId())) throw new ConclaveError('FORBIDDEN');
  // A password alone never opens government requests: whoever learns it (a phished reset
  // link, a reused password) would otherwise read and decide them.
  if (!ctx.user.totpSecret) throw new ConclaveError('LEGAL_TWO_FACTOR_REQUIRED');
}

/** The requester behind a portal route (access `requester` or `requester-session`). */
export function requesterOf(req: FastifyRequest): RequesterContext {
  if (!req.requester) throw new ConclaveError('NOT_SIGNED_IN');
  return req.requester;
}

/** The caller of a route whose access guarantees a session. */
export function caller(req: FastifyRequest): SessionContext {
  if (!req.auth) throw new ConclaveError('NOT_SIGNED_IN');
  return req.auth;
}
