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
  app.post('/api/meetings', async (req, reply) => {
    const body = parseOr400(createMeetingBodySchema, req.body);
    const created = await opts.meetings.create(body);
    const result: CreateMeetingResult = {
      ...created,
      joinUrl: `${opts.baseUrl()}/m/${created.meetingId}`,
    };
    return reply.status(201).send(result);
  });

  app.get('/api/meetings/:id', async (req) => opts.meetings.info(meetingIdParam(req.params)));
};
