import type { FastifyPluginAsync } from 'fastify';
import type { UserNoticeRecord } from '../../modules/legal/legal-store';
import { caller } from '../auth/access';

export interface MyNoticesOptions {
  list(userId: string): Promise<UserNoticeRecord[]>;
}

/** In-app notices for the signed-in user (e.g. a government request about their account). */
export const myNoticeRoutes: FastifyPluginAsync<MyNoticesOptions> = async (app, opts) => {
  app.get('/api/my/notices', { config: { access: 'signed-in' } }, async (req) => ({
    notices: await opts.list(caller(req).user.id),
  }));
};
