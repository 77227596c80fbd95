import {
  legalStaffInviteBodySchema,
  legalStaffRoleBodySchema,
  userIdParamsSchema,
} from '@conclave/protocol';
import type { FastifyPluginAsync } from 'fastify';
import type { AdminService } from '../../modules/accounts/admin-service';
import { isLegalRole } from '../../modules/accounts/admin-service';
import { caller } from '../auth/access';
import { route } from '../route';
import { userView } from './views';

/**
 * Legal staff, managed by legal admins (an account admin may not grant legal roles: issue 15).
 * The owner manages them from the admin console as well.
 */
export const legalStaffRoutes: FastifyPluginAsync<{ admin: AdminService }> = async (app, opts) => {
  const svc = opts.admin;

  route(app, {
    method: 'GET',
    url: '/api/legal/staff',
    access: 'legal-admin',
    handler: async ({ req }) => {
      const { users } = await svc.listUsers(caller(req), { limit: 500, offset: 0 });
      return { users: users.filter((u) => isLegalRole(u.role)).map(userView) };
    },
  });

  route(app, {
    method: 'POST',
    url: '/api/legal/staff/invite',
    access: 'legal-admin',
    body: legalStaffInviteBodySchema,
    handler: async ({ body, req, reply }) =>
      reply.status(201).send({ user: userView(await svc.invite(caller(req), body)) }),
  });

  route(app, {
    method: 'PATCH',
    url: '/api/legal/staff/:userId',
    access: 'legal-admin',
    params: userIdParamsSchema,
    body: legalStaffRoleBodySchema,
    handler: async ({ params, body, req }) => ({
      user: userView(await svc.changeRole(caller(req), params.userId, body.role)),
    }),
  });
};
