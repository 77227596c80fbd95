import { ConclaveError } from '@conclave/protocol';
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { UserNoticeRecord } from '../../modules/legal/legal-store';
import { caller } from '../auth/access';
import { noBody, route } from '../route';

export interface MyNoticesOptions {
  list(userId: string): Promise<UserNoticeRecord[]>;
  /** The notice's readAt, or undefined when the user has no notice with this id. */
  markRead(userId: string, id: string, at: Date): Promise<Date | undefined>;
}

const noticeView = (n: UserNoticeRecord) => ({
  id: n.id,
  kind: n.kind,
  title: n.title,
  body: n.body,
  createdAt: n.createdAt.toISOString(),
  readAt: n.readAt?.toISOString() ?? null,
});

/** In-app notices for the signed-in user (e.g. a government request about their account). */
export const myNoticeRoutes: FastifyPluginAsync<MyNoticesOptions> = async (app, opts) => {
  route(app, {
    method: 'GET',
    url: '/api/my/notices',
    access: 'signed-in',
    handler: async ({ req }) => ({
      notices: (await opts.list(caller(req).user.id)).map(noticeView),
    }),
  });

  // Someone else's notice is "no such notice" (404), not 403: its existence is not told.
  route(app, {
    method: 'POST',
    url: '/api/my/notices/:id/read',
    access: 'signed-in',
    params: z.object({ id: z.uuid() }).strict(),
    body: noBody,
    handler: async ({ params, req }) => {
      const readAt = await opts.markRead(caller(req).user.id, params.id, new Date());
      if (!readAt) throw new ConclaveError('NOTICE_NOT_FOUND');
      return { id: params.id, readAt: readAt.toISOString() };
    },
  });
};
