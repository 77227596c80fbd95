import {
  ConclaveError,
  changePasswordBodySchema,
  inviteAcceptBodySchema,
  loginBodySchema,
  passwordConfirmBodySchema,
  resetCompleteBodySchema,
  resetRequestBodySchema,
  totpDisableBodySchema,
  totpVerifyBodySchema,
} from '@conclave/protocol';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AuthService } from '../../modules/accounts/auth-service';
import type { LoginLimiter } from '../../modules/accounts/login-limiter';
import { caller } from '../auth/access';
import type { CookiePolicy } from '../auth/cookies';
import {
  clearSessionCookie,
  ensureCsrfToken,
  issueCsrfToken,
  setSessionCookie,
} from '../auth/cookies';
import { noBody, route } from '../route';
import { meView } from './views';

export interface AuthRoutesOptions {
  auth: AuthService;
  limiter: LoginLimiter;
  cookies: CookiePolicy;
}

/** Sign-in, sessions, two-factor, password reset and invite acceptance. */
export const authRoutes: FastifyPluginAsync<AuthRoutesOptions> = async (app, opts) => {
  const { auth, cookies } = opts;

  // The session changes: the CSRF token the browser holds is bound to the old one (or to
  // "anonymous"), so every sign-in and sign-out issues one bound to the new session.
  const signIn = async (reply: FastifyReply, token: string) => {
    const ctx = await auth.resolve(token);
    if (!ctx) throw new ConclaveError('INTERNAL', 'The new session could not be read back.');
    setSessionCookie(reply, cookies, token);
    return meView(ctx, issueCsrfToken(reply, cookies, 'user', token));
  };
  const signOut = (reply: FastifyReply) => {
    clearSessionCookie(reply, cookies);
    issueCsrfToken(reply, cookies, 'user', undefined);
  };
  const limit = async (req: FastifyRequest) => {
    if (!(await opts.limiter.take(req.ip))) throw new ConclaveError('RATE_LIMITED');
  };

  route(app, {
    method: 'GET',
    url: '/api/auth/csrf',
    access: 'public',
    // `signedIn` lets the web app skip `GET /api/auth/me` (a 401 in the console) for visitors.
    handler: async ({ req, reply }) => ({
      csrfToken: ensureCsrfToken(req, reply, cookies),
      signedIn: req.auth !== null,
    }),
  });

  route(app, {
    method: 'POST',
    url: '/api/auth/login',
    access: 'public',
    body: loginBodySchema,
    handler: async ({ body, req, reply }) => {
      await limit(req);
      const { token } = await auth.login(body);
      return signIn(reply, token);
    },
  });

  route(app, {
    method: 'POST',
    url: '/api/auth/logout',
    access: 'enrolment',
    body: noBody,
    handler: async ({ req, reply }) => {
      await auth.logout(caller(req));
      signOut(reply);
      return reply.status(204).send();
    },
  });

  route(app, {
    method: 'POST',
    url: '/api/auth/logout-all',
    access: 'enrolment',
    body: noBody,
    handler: async ({ req, reply }) => {
      await auth.logoutAll(caller(req).user.id);
      signOut(reply);
      return reply.status(204).send();
    },
  });

  route(app, {
    method: 'GET',
    url: '/api/auth/me',
    access: 'enrolment',
    handler: async ({ req, reply }) => meView(caller(req), ensureCsrfToken(req, reply, cookies)),
  });

  route(app, {
    method: 'POST',
    url: '/api/auth/password',
    access: 'signed-in',
    body: changePasswordBodySchema,
    handler: async ({ body, req, reply }) => {
      await auth.changePassword(caller(req), body.currentPassword, body.newPassword);
      return reply.status(204).send();
    },
  });

  route(app, {
    method: 'POST',
    url: '/api/auth/2fa/enroll',
    access: 'enrolment',
    body: noBody,
    handler: async ({ req }) => auth.enrollTotp(caller(req).user),
  });

  route(app, {
    method: 'POST',
    url: '/api/auth/2fa/verify',
    access: 'enrolment',
    body: totpVerifyBodySchema,
    handler: async ({ body, req }) => ({
      recoveryCodes: await auth.confirmTotp(caller(req).user, body.code),
    }),
  });

  route(app, {
    method: 'POST',
    url: '/api/auth/2fa/disable',
    access: 'signed-in',
    body: totpDisableBodySchema,
    handler: async ({ body, req, reply }) => {
      await auth.disableTotp(caller(req), body.password, body.code);
      return reply.status(204).send();
    },
  });

  route(app, {
    method: 'POST',
    url: '/api/auth/2fa/recovery-codes',
    access: 'signed-in',
    body: passwordConfirmBodySchema,
    handler: async ({ body, req }) => ({
      recoveryCodes: await auth.regenerateRecoveryCodes(caller(req).user, body.password),
    }),
  });

  route(app, {
    method: 'POST',
    url: '/api/auth/password-reset/request',
    access: 'public',
    body: resetRequestBodySchema,
    handler: async ({ body, req, reply }) => {
      await limit(req);
      await auth.requestReset(body.email);
      return reply.status(202).send({ status: 'sent-if-known' });
    },
  });

  route(app, {
    method: 'POST',
    url: '/api/auth/password-reset/complete',
    access: 'public',
    body: resetCompleteBodySchema,
    handler: async ({ body, reply }) => {
      await auth.completeReset(body.token, body.password);
      return reply.status(204).send();
    },
  });

  route(app, {
    method: 'POST',
    url: '/api/auth/invite/accept',
    access: 'public',
    body: inviteAcceptBodySchema,
    handler: async ({ body, reply }) => {
      const { token } = await auth.acceptInvite(body.token, body.password, body.name);
      return signIn(reply, token);
    },
  });
};
