import type { FastifyPluginAsync } from 'fastify';
import type { UserNoticeRecord } from '../../modules/legal/legal-store';
import { caller } from '../auth/access';
import { route } from '../route';

export interface MyNoticesOptions {
  list(userId: string): Promise<UserNoticeRecord[]>;
}

/** In-app notices for the signed-in user (e.g. a government request about their account). */
export const myNoticeRoutes: FastifyPluginAsync<MyNoticesOptions> = async (app, opts) => {
  route(app, {
    method: 'GET',
    url: '/api/my/notices',
    access: 'signed-in',
    handler: async ({ req }) => ({ notices: await opts.list(caller(req).user.id) }),
  });
};
