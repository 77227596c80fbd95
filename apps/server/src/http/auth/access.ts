import { ConclaveError } from '@conclave/protocol';
import type { AccountRole } from '@conclave/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthService, SessionContext } from '../../modules/accounts/auth-service';
import { csrfTokenMatches, sessionCookieValue } from './cookies';

/**
 * Who may call a route. Every /api route declares one in `config.access`; a route without it
 * fails at registration (deny by default).
 * - `public`: anyone, signed in or not.
 * - `enrolment`: any signed-in user, even one who still has to set up required 2FA.
 * - `signed-in`: any signed-in user of any role.
 * - `account-admin`: owners and admins of the caller's own account.
 */
export type Access = 'public' | 'enrolment' | 'signed-in' | 'account-admin';

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
export function installAccessControl(app: FastifyInstance, auth: AuthService): void {
  app.decorate('routeTable', [] as RouteEntry[]);
  app.decorateRequest('auth', null);

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
    const token = sessionCookieValue(req);
    req.auth = token ? ((await auth.resolve(token)) ?? null) : null;
    checkAccess(req.auth, access);
    if (SAFE_METHODS.has(req.method)) return;
    const needsCsrf = config.csrf !== 'when-signed-in' || token !== undefined;
    if (needsCsrf && !csrfTokenMatches(req)) throw new ConclaveError('CSRF_TOKEN_INVALID');
  });
}

function checkAccess(ctx: SessionContext | null, access: Access): void {
  if (access === 'public') return;
  if (!ctx) throw new ConclaveError('NOT_SIGNED_IN');
  if (access === 'enrolment') return;
  if (ctx.mustEnrollTwoFactor) throw new ConclaveError('TWO_FACTOR_ENROLLMENT_REQUIRED');
  if (access === 'signed-in') return;
  if (access === 'account-admin' && ADMIN_ROLES.includes(ctx.user.role)) return;
  throw new ConclaveError('FORBIDDEN');
}

/** The caller of a route whose access guarantees a session. */
export function caller(req: FastifyRequest): SessionContext {
  if (!req.auth) throw new ConclaveError('NOT_SIGNED_IN');
  return req.auth;
}
