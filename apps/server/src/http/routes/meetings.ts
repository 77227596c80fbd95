import { ConclaveError, createMeetingBodySchema, parseMeetingId } from '@conclave/protocol';
import type { CreateMeetingResult, MeetingId } from '@conclave/protocol';
import type { FastifyPluginAsync } from 'fastify';
import type { MeetingService } from '../../modules/meetings/meeting-service';
import { parseOr400 } from '../validate';

export interface MeetingRoutesOptions {
  meetings: MeetingService;
  baseUrl: () => string;
}

function meetingIdParam(params: unknown): MeetingId {
  const raw = (params as { id?: unknown }).id;
  const id = typeof raw === 'string' ? parseMeetingId(raw) : undefined;
  if (!id) throw new ConclaveError('MEETING_NOT_FOUND');
  return id;
}

export const meetingRoutes: FastifyPluginAsync<MeetingRoutesOptions> = async (app, opts) => {
  // Guest meetings: anyone may create one, as before accounts; signed-in callers own theirs
  // through /api/my/meetings. CSRF is checked only when a session cookie rides along.
  app.post(
    '/api/meetings',
    { config: { access: 'public', csrf: 'when-signed-in' } },
    async (req, reply) => {
      const body = parseOr400(createMeetingBodySchema, req.body);
      const created = await opts.meetings.create(body);
      const result: CreateMeetingResult = {
        ...created,
        joinUrl: `${opts.baseUrl()}/m/${created.meetingId}`,
      };
      return reply.status(201).send(result);
    },
  );

  app.get('/api/meetings/:id', { config: { access: 'public' } }, async (req) =>
    opts.meetings.info(meetingIdParam(req.params)),
  );
};
