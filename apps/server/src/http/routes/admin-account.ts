import {
  auditQuerySchema,
  securitySettingsSchema,
  setAccountLocationBodySchema,
  setMeetingSettingsBodySchema,
  setPlanBodySchema,
} from '@conclave/protocol';
import type { FastifyPluginAsync } from 'fastify';
import type { AdminService } from '../../modules/accounts/admin-service';
import { caller } from '../auth/access';
import { route } from '../route';
import { planView } from './views';

/** Plan, meeting settings, security, location, admin-action history and outbox pages. */
export const adminAccountRoutes: FastifyPluginAsync<{ admin: AdminService }> = async (
  app,
  opts,
) => {
  const svc = opts.admin;
  const access = 'account-admin' as const;

  route(app, {
    method: 'GET',
    url: '/api/admin/plan',
    access,
    handler: async ({ req }) => planView((await svc.currentAccount(caller(req))).plan),
  });

  route(app, {
    method: 'PUT',
    url: '/api/admin/plan',
    access,
    body: setPlanBodySchema,
    handler: async ({ body, req }) => {
      await svc.setPlan(caller(req), body.plan);
      return planView(body.plan);
    },
  });

  route(app, {
    method: 'GET',
    url: '/api/admin/meeting-settings',
    access,
    handler: async ({ req }) => svc.meetingSettings(caller(req)),
  });

  route(app, {
    method: 'PUT',
    url: '/api/admin/meeting-settings',
    access,
    body: setMeetingSettingsBodySchema,
    handler: async ({ body, req }) => {
      await svc.setMeetingSettings(caller(req), body);
      return svc.meetingSettings(caller(req));
    },
  });

  route(app, {
    method: 'GET',
    url: '/api/admin/security',
    access,
    handler: async ({ req }) => ({
      requireTwoFactor: (await svc.currentAccount(caller(req))).requireTwoFactor,
    }),
  });

  route(app, {
    method: 'PUT',
    url: '/api/admin/security',
    access,
    body: securitySettingsSchema,
    handler: async ({ body, req }) => {
      await svc.setRequireTwoFactor(caller(req), body.requireTwoFactor);
      return body;
    },
  });

  route(app, {
    method: 'GET',
    url: '/api/admin/location',
    access,
    handler: async ({ req }) => (await svc.currentAccount(caller(req))).location,
  });

  route(app, {
    method: 'PUT',
    url: '/api/admin/location',
    access,
    body: setAccountLocationBodySchema,
    handler: async ({ body, req }) =>
      svc.setLocation(caller(req), {
        country: body.country,
        subdivision: body.subdivision ?? null,
      }),
  });

  route(app, {
    method: 'GET',
    url: '/api/admin/audit',
    access,
    query: auditQuerySchema,
    handler: async ({ query, req }) => ({
      entries: (await svc.auditLog(caller(req), query.limit, query.beforeSeq)).map((e) => ({
        seq: e.seq,
        at: e.at.toISOString(),
        actorUserId: e.actorUserId,
        action: e.action,
        target: e.target,
        detail: e.detail,
      })),
    }),
  });

  route(app, {
    method: 'GET',
    url: '/api/admin/outbox',
    access,
    handler: async ({ req }) => ({
      messages: (await svc.outbox(caller(req))).map((m) => ({
        id: m.id,
        to: m.to,
        subject: m.subject,
        body: m.body,
        createdAt: m.createdAt.toISOString(),
        // Delivery so far: 0 attempts = waiting (no SMTP, or not yet tried); a next attempt
        // null after attempts = given up. The error holds codes only, never the message.
        attempts: m.attempts,
        lastError: m.lastError,
        nextAttemptAt: m.nextAttemptAt?.toISOString() ?? null,
      })),
    }),
  });
};
