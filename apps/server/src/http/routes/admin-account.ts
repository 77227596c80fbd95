import {
  auditQuerySchema,
  securitySettingsSchema,
  setMeetingSettingsBodySchema,
  setPlanBodySchema,
} from '@conclave/protocol';
import type { FastifyPluginAsync } from 'fastify';
import type { AdminService } from '../../modules/accounts/admin-service';
import { caller } from '../auth/access';
import { parseOr400 } from '../validate';
import { planView } from './views';

const admin = { config: { access: 'account-admin' as const } };

/** Plan, meeting settings, security, admin-action history and outbox pages. */
export const adminAccountRoutes: FastifyPluginAsync<{ admin: AdminService }> = async (
  app,
  opts,
) => {
  const svc = opts.admin;

  app.get('/api/admin/plan', admin, async (req) =>
    planView((await svc.currentAccount(caller(req))).plan),
  );

  app.put('/api/admin/plan', admin, async (req) => {
    const body = parseOr400(setPlanBodySchema, req.body);
    await svc.setPlan(caller(req), body.plan);
    return planView(body.plan);
  });

  app.get('/api/admin/meeting-settings', admin, async (req) => svc.meetingSettings(caller(req)));

  app.put('/api/admin/meeting-settings', admin, async (req) => {
    const body = parseOr400(setMeetingSettingsBodySchema, req.body);
    await svc.setMeetingSettings(caller(req), body);
    return svc.meetingSettings(caller(req));
  });

  app.get('/api/admin/security', admin, async (req) => ({
    requireTwoFactor: (await svc.currentAccount(caller(req))).requireTwoFactor,
  }));

  app.put('/api/admin/security', admin, async (req) => {
    const body = parseOr400(securitySettingsSchema, req.body);
    await svc.setRequireTwoFactor(caller(req), body.requireTwoFactor);
    return body;
  });

  app.get('/api/admin/audit', admin, async (req) => {
    const q = parseOr400(auditQuerySchema, req.query);
    const entries = await svc.auditLog(caller(req), q.limit, q.beforeSeq);
    return {
      entries: entries.map((e) => ({
        seq: e.seq,
        at: e.at.toISOString(),
        actorUserId: e.actorUserId,
        action: e.action,
        target: e.target,
        detail: e.detail,
      })),
    };
  });

  app.get('/api/admin/outbox', admin, async (req) => ({
    messages: (await svc.outbox(caller(req))).map((m) => ({
      id: m.id,
      to: m.to,
      subject: m.subject,
      body: m.body,
      createdAt: m.createdAt.toISOString(),
    })),
  }));
};
