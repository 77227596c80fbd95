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
import { parseOr400 } from '../validate';

export interface MyMeetingRoutesOptions {
  meetings: MeetingService;
  myMeetings: MyMeetings;
  baseUrl: () => string;
}

const signedIn = { config: { access: 'signed-in' as const } };

/** A signed-in user's meetings: upcoming and past, create as owner, name co-hosts. */
export const myMeetingRoutes: FastifyPluginAsync<MyMeetingRoutesOptions> = async (app, opts) => {
  app.get('/api/my/meetings', signedIn, async (req) => {
    const { when } = parseOr400(myMeetingsQuerySchema, req.query);
    const views = await opts.myMeetings.list(caller(req).user.id, when);
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
  });

  app.post('/api/my/meetings', signedIn, async (req, reply) => {
    const body = parseOr400(createOwnedMeetingBodySchema, req.body);
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
  });

  app.put('/api/my/meetings/:id/cohosts', signedIn, async (req) => {
    const { id } = parseOr400(meetingIdParamsSchema, req.params);
    const body = parseOr400(setCohostsBodySchema, req.body);
    const ctx = caller(req);
    const cohostUserIds = await opts.myMeetings.setCohosts(
      { userId: ctx.user.id, accountId: ctx.account.id },
      id,
      body.userIds,
    );
    return { cohostUserIds };
  });
};
