import { ConclaveError, createMeetingBodySchema, parseMeetingId } from '@conclave/protocol';
import type { CreateMeetingResult, GuestPolicy, MeetingId } from '@conclave/protocol';
import type { FastifyPluginAsync } from 'fastify';
import type { MeetingService } from '../../modules/meetings/meeting-service';
import { route } from '../route';

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
  // What the start page needs to know before offering "Create meeting" (config `meetings.*`).
  route(app, {
    method: 'GET',
    url: '/api/guest-policy',
    access: 'public',
    handler: async (): Promise<GuestPolicy> => {
      const p = opts.meetings.guestPolicy();
      return { guestCreation: p.creation, guestE2ee: p.e2ee };
    },
  });

  // Guest meetings: anyone may create one, as before accounts, unless the operator turned that
  // off (403 GUEST_MEETINGS_DISABLED); signed-in callers own theirs through /api/my/meetings.
  // CSRF is checked only when a session cookie rides along.
  route(app, {
    method: 'POST',
    url: '/api/meetings',
    access: 'public',
    csrf: 'when-signed-in',
    body: createMeetingBodySchema,
    handler: async ({ body, reply }) => {
      const created = await opts.meetings.create(body);
      const result: CreateMeetingResult = {
        ...created,
        joinUrl: `${opts.baseUrl()}/m/${created.meetingId}`,
      };
      return reply.status(201).send(result);
    },
  });

  // Not a zod `params` schema: an id that does not parse is simply "no such meeting" (404).
  route(app, {
    method: 'GET',
    url: '/api/meetings/:id',
    access: 'public',
    handler: async ({ req }) => opts.meetings.info(meetingIdParam(req.params)),
  });
};
