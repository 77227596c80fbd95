import {
  changeRoleBodySchema,
  inviteBodySchema,
  userIdParamsSchema,
  userListQuerySchema,
} from '@conclave/protocol';
import type { FastifyPluginAsync } from 'fastify';
import type { AdminService } from '../../modules/accounts/admin-service';
import { caller } from '../auth/access';
import { noBody, route } from '../route';
import { userView } from './views';

/** Users page of the admin console: list, search, invite, change role, (de)activate. */
export const adminUserRoutes: FastifyPluginAsync<{ admin: AdminService }> = async (app, opts) => {
  const svc = opts.admin;
  const access = 'account-admin' as const;

  route(app, {
    method: 'GET',
    url: '/api/admin/users',
    access,
    query: userListQuerySchema,
    handler: async ({ query, req }) => {
      const { users, total } = await svc.listUsers(caller(req), query);
      return { users: users.map(userView), total };
    },
  });

  route(app, {
    method: 'POST',
    url: '/api/admin/users/invite',
    access,
    body: inviteBodySchema,
    handler: async ({ body, req, reply }) =>
      reply.status(201).send({ user: userView(await svc.invite(caller(req), body)) }),
  });

  route(app, {
    method: 'PATCH',
    url: '/api/admin/users/:userId',
    access,
    params: userIdParamsSchema,
    body: changeRoleBodySchema,
    handler: async ({ params, body, req }) => ({
      user: userView(await svc.changeRole(caller(req), params.userId, body.role)),
    }),
  });

  route(app, {
    method: 'POST',
    url: '/api/admin/users/:userId/deactivate',
    access,
    params: userIdParamsSchema,
    body: noBody,
    handler: async ({ params, req }) => ({
      user: userView(await svc.setActive(caller(req), params.userId, false)),
    }),
  });

  route(app, {
    method: 'POST',
    url: '/api/admin/users/:userId/reactivate',
    access,
    params: userIdParamsSchema,
    body: noBody,
    handler: async ({ params, req }) => ({
      user: userView(await svc.setActive(caller(req), params.userId, true)),
    }),
  });

  route(app, {
    method: 'POST',
    url: '/api/admin/users/:userId/sign-out',
    access,
    params: userIdParamsSchema,
    body: noBody,
    handler: async ({ params, req }) => ({
      sessionsEnded: await svc.signOutUser(caller(req), params.userId),
    }),
  });

  route(app, {
    method: 'POST',
    url: '/api/admin/users/:userId/confirm-reviewer',
    access,
    params: userIdParamsSchema,
    body: noBody,
    handler: async ({ params, req }) => ({
      user: userView(await svc.confirmIndependentReviewer(caller(req), params.userId)),
    }),
  });

  route(app, {
    method: 'POST',
    url: '/api/admin/users/:userId/reset-2fa',
    access,
    params: userIdParamsSchema,
    body: noBody,
    handler: async ({ params, req }) => ({
      user: userView(await svc.resetTwoFactor(caller(req), params.userId)),
    }),
  });
};
