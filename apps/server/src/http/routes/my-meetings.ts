import {
  createOwnedMeetingBodySchema,
  meetingIdParamsSchema,
  myMeetingsQuerySchema,
  setCohostsBodySchema,
} from '@conclave/protocol';
import type { CreateMeetingResult, MyMeeting } from '@conclave/protocol';
import type { FastifyPluginAsync } from 'fastify';
import type { MeetingService } from '../../modules/meetings/meeting-service';
import type { MyMeetings } from '../../modules/meetings/my-meetings';
import { caller } from '../auth/access';
import { route } from '../route';

export interface MyMeetingRoutesOptions {
  meetings: MeetingService;
  myMeetings: MyMeetings;
  baseUrl: () => string;
}

/** A signed-in user's meetings: upcoming and past, create as owner, name co-hosts. */
export const myMeetingRoutes: FastifyPluginAsync<MyMeetingRoutesOptions> = async (app, opts) => {
  const access = 'signed-in' as const;

  route(app, {
    method: 'GET',
    url: '/api/my/meetings',
    access,
    query: myMeetingsQuerySchema,
    handler: async ({ query, req }) => {
      const views = await opts.myMeetings.list(caller(req).user.id, query.when);
      const meetings: MyMeeting[] = views.map(({ record, isOwner, cohostUserIds }) => ({
        meetingId: record.id,
        title: record.title,
        startsAt: record.startsAt?.toISOString() ?? null,
        createdAt: record.createdAt.toISOString(),
        endedAt: record.endedAt?.toISOString() ?? null,
        requiresPasscode: record.passcodeHash !== null,
        isOwner,
        cohostUserIds,
        joinUrl: `${opts.baseUrl()}/m/${record.id}`,
      }));
      return { meetings };
    },
  });

  route(app, {
    method: 'POST',
    url: '/api/my/meetings',
    access,
    body: createOwnedMeetingBodySchema,
    handler: async ({ body, req, reply }) => {
      const ctx = caller(req);
      const created = await opts.meetings.createOwned({
        accountId: ctx.account.id,
        ownerUserId: ctx.user.id,
        title: body.title,
        startsAt: body.startsAt ? new Date(body.startsAt) : undefined,
        passcode: body.passcode,
      });
      const result: CreateMeetingResult = {
        ...created,
        joinUrl: `${opts.baseUrl()}/m/${created.meetingId}`,
      };
      return reply.status(201).send(result);
    },
  });

  route(app, {
    method: 'PUT',
    url: '/api/my/meetings/:id/cohosts',
    access,
    params: meetingIdParamsSchema,
    body: setCohostsBodySchema,
    handler: async ({ params, body, req }) => {
      const ctx = caller(req);
      const cohostUserIds = await opts.myMeetings.setCohosts(
        { userId: ctx.user.id, accountId: ctx.account.id },
        params.id,
        body.userIds,
      );
      return { cohostUserIds };
    },
  });
};
