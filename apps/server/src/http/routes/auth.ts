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
import { clearSessionCookie, ensureCsrfToken, setSessionCookie } from '../auth/cookies';
import { parseOr400 } from '../validate';
import { meView } from './views';

export interface AuthRoutesOptions {
  auth: AuthService;
  limiter: LoginLimiter;
  cookies: CookiePolicy;
}

/** Sign-in, sessions, two-factor, password reset and invite acceptance. */
export const authRoutes: FastifyPluginAsync<AuthRoutesOptions> = async (app, opts) => {
  const { auth, cookies } = opts;

  const signIn = async (req: FastifyRequest, reply: FastifyReply, token: string) => {
    const ctx = await auth.resolve(token);
    if (!ctx) throw new ConclaveError('INTERNAL', 'The new session could not be read back.');
    setSessionCookie(reply, cookies, token);
    return meView(ctx, ensureCsrfToken(req, reply, cookies));
  };

  app.get('/api/auth/csrf', { config: { access: 'public' } }, async (req, reply) => ({
    csrfToken: ensureCsrfToken(req, reply, cookies),
  }));

  app.post('/api/auth/login', { config: { access: 'public' } }, async (req, reply) => {
    if (!opts.limiter.take(req.ip)) throw new ConclaveError('RATE_LIMITED');
    const body = parseOr400(loginBodySchema, req.body);
    const { token } = await auth.login(body);
    return signIn(req, reply, token);
  });

  app.post('/api/auth/logout', { config: { access: 'enrolment' } }, async (req, reply) => {
    await auth.logout(caller(req));
    clearSessionCookie(reply, cookies);
    return reply.status(204).send();
  });

  app.post('/api/auth/logout-all', { config: { access: 'enrolment' } }, async (req, reply) => {
    await auth.logoutAll(caller(req).user.id);
    clearSessionCookie(reply, cookies);
    return reply.status(204).send();
  });

  app.get('/api/auth/me', { config: { access: 'enrolment' } }, async (req, reply) =>
    meView(caller(req), ensureCsrfToken(req, reply, cookies)),
  );

  app.post('/api/auth/password', { config: { access: 'signed-in' } }, async (req, reply) => {
    const body = parseOr400(changePasswordBodySchema, req.body);
    await auth.changePassword(caller(req), body.currentPassword, body.newPassword);
    return reply.status(204).send();
  });

  app.post('/api/auth/2fa/enroll', { config: { access: 'enrolment' } }, async (req) =>
    auth.enrollTotp(caller(req).user),
  );

  app.post('/api/auth/2fa/verify', { config: { access: 'enrolment' } }, async (req) => {
    const body = parseOr400(totpVerifyBodySchema, req.body);
    return { recoveryCodes: await auth.confirmTotp(caller(req).user, body.code) };
  });

  app.post('/api/auth/2fa/disable', { config: { access: 'signed-in' } }, async (req, reply) => {
    const body = parseOr400(totpDisableBodySchema, req.body);
    await auth.disableTotp(caller(req), body.password, body.code);
    return reply.status(204).send();
  });

  app.post('/api/auth/2fa/recovery-codes', { config: { access: 'signed-in' } }, async (req) => {
    const body = parseOr400(passwordConfirmBodySchema, req.body);
    return { recoveryCodes: await auth.regenerateRecoveryCodes(caller(req).user, body.password) };
  });

  app.post(
    '/api/auth/password-reset/request',
    { config: { access: 'public' } },
    async (req, reply) => {
      if (!opts.limiter.take(req.ip)) throw new ConclaveError('RATE_LIMITED');
      const body = parseOr400(resetRequestBodySchema, req.body);
      await auth.requestReset(body.email);
      return reply.status(202).send({ status: 'sent-if-known' });
    },
  );

  app.post(
    '/api/auth/password-reset/complete',
    { config: { access: 'public' } },
    async (req, reply) => {
      const body = parseOr400(resetCompleteBodySchema, req.body);
      await auth.completeReset(body.token, body.password);
      return reply.status(204).send();
    },
  );

  app.post('/api/auth/invite/accept', { config: { access: 'public' } }, async (req, reply) => {
    const body = parseOr400(inviteAcceptBodySchema, req.body);
    const { token } = await auth.acceptInvite(body.token, body.password, body.name);
    return signIn(req, reply, token);
  });
};
