import {
  changeRoleBodySchema,
  inviteBodySchema,
  userIdParamsSchema,
  userListQuerySchema,
} from '@conclave/protocol';
import type { FastifyPluginAsync } from 'fastify';
import type { AdminService } from '../../modules/accounts/admin-service';
import { caller } from '../auth/access';
import { parseOr400 } from '../validate';
import { userView } from './views';

const admin = { config: { access: 'account-admin' as const } };

/** Users page of the admin console: list, search, invite, change role, (de)activate. */
export const adminUserRoutes: FastifyPluginAsync<{ admin: AdminService }> = async (app, opts) => {
  const svc = opts.admin;

  app.get('/api/admin/users', admin, async (req) => {
    const q = parseOr400(userListQuerySchema, req.query);
    const { users, total } = await svc.listUsers(caller(req), q);
    return { users: users.map(userView), total };
  });

  app.post('/api/admin/users/invite', admin, async (req, reply) => {
    const body = parseOr400(inviteBodySchema, req.body);
    const user = await svc.invite(caller(req), body);
    return reply.status(201).send({ user: userView(user) });
  });

  app.patch('/api/admin/users/:userId', admin, async (req) => {
    const { userId } = parseOr400(userIdParamsSchema, req.params);
    const body = parseOr400(changeRoleBodySchema, req.body);
    return { user: userView(await svc.changeRole(caller(req), userId, body.role)) };
  });

  app.post('/api/admin/users/:userId/deactivate', admin, async (req) => {
    const { userId } = parseOr400(userIdParamsSchema, req.params);
    return { user: userView(await svc.setActive(caller(req), userId, false)) };
  });

  app.post('/api/admin/users/:userId/reactivate', admin, async (req) => {
    const { userId } = parseOr400(userIdParamsSchema, req.params);
    return { user: userView(await svc.setActive(caller(req), userId, true)) };
  });

  app.post('/api/admin/users/:userId/sign-out', admin, async (req) => {
    const { userId } = parseOr400(userIdParamsSchema, req.params);
    return { sessionsEnded: await svc.signOutUser(caller(req), userId) };
  });

  app.post('/api/admin/users/:userId/reset-2fa', admin, async (req) => {
    const { userId } = parseOr400(userIdParamsSchema, req.params);
    return { user: userView(await svc.resetTwoFactor(caller(req), userId)) };
  });
};
