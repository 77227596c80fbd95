import {
  agencyBodySchema,
  checklistBodySchema,
  decisionBodySchema,
  decisionParamSchema,
  documentParamSchema,
  messageBodySchema,
  ndoExtensionBodySchema,
  ndoReviewBodySchema,
  noticeParamSchema,
  productionParamSchema,
  requestIdParamSchema,
  suppressBodySchema,
} from '@conclave/protocol';
import type { AuditEntryView } from '@conclave/protocol';
import type { FastifyPluginAsync } from 'fastify';
import type { Actor } from '../../modules/legal/actor';
import type { ReviewService } from '../../modules/legal/review-service';
import { caller } from '../auth/access';
import { noBody, route } from '../route';
import {
  agencyView,
  checklistView,
  decisionView,
  messageView,
  ndoExtensionView,
  productionView,
  queueItemView,
  reviewDetailView,
} from './legal-views';
import { sendPackage, sendPdf } from './legal-portal';

export interface LegalReviewOptions {
  review: ReviewService;
}

/** The legal console API (legal_reviewer / legal_admin of the operator account). */
export const legalReviewRoutes: FastifyPluginAsync<LegalReviewOptions> = async (app, opts) => {
  const { review } = opts;
  const actor = (req: Parameters<typeof caller>[0]): Actor => ({
    kind: 'user',
    id: caller(req).user.id,
  });

  route(app, {
    method: 'GET',
    url: '/api/legal/queue',
    access: 'legal',
    handler: async ({ req }) => ({
      queue: (await review.queue(actor(req))).map(queueItemView),
    }),
  });

  route(app, {
    method: 'GET',
    url: '/api/legal/requests/:id',
    access: 'legal',
    params: requestIdParamSchema,
    handler: async ({ params, req }) => {
      return reviewDetailView(await review.view(actor(req), params.id));
    },
  });

  route(app, {
    method: 'PUT',
    url: '/api/legal/requests/:id/checklist',
    access: 'legal',
    body: checklistBodySchema,
    params: requestIdParamSchema,
    handler: async ({ body, params, req }) => ({
      checklist: (await review.saveChecklist(actor(req), params.id, body.answers)).map(
        checklistView,
      ),
    }),
  });

  route(app, {
    method: 'POST',
    url: '/api/legal/requests/:id/decisions',
    access: 'legal',
    body: decisionBodySchema,
    params: requestIdParamSchema,
    handler: async ({ body, params, req, reply }) =>
      reply
        .status(201)
        .send({ decision: decisionView(await review.decide(actor(req), params.id, body)) }),
  });

  route(app, {
    method: 'POST',
    url: '/api/legal/requests/:id/decisions/:decisionId/approve',
    access: 'legal',
    body: noBody,
    params: decisionParamSchema,
    handler: async ({ params, req }) => ({
      decision: decisionView(await review.approve(actor(req), params.id, params.decisionId)),
    }),
  });

  route(app, {
    method: 'POST',
    url: '/api/legal/requests/:id/ndo/review',
    access: 'legal',
    body: ndoReviewBodySchema,
    params: requestIdParamSchema,
    handler: async ({ body, params, req, reply }) => {
      await review.reviewNdo(actor(req), params.id, body.valid, body.notes);
      return reply.status(204).send();
    },
  });

  route(app, {
    method: 'POST',
    url: '/api/legal/requests/:id/ndo/extensions',
    access: 'legal',
    body: ndoExtensionBodySchema,
    params: requestIdParamSchema,
    handler: async ({ body, params, req, reply }) => {
      const ext = await review.extendNdo(
        actor(req),
        params.id,
        new Date(body.newEndDate),
        body.citation,
      );
      return reply.status(201).send({ extension: ndoExtensionView(ext) });
    },
  });

  route(app, {
    method: 'POST',
    url: '/api/legal/requests/:id/emergency-over',
    access: 'legal',
    body: noBody,
    params: requestIdParamSchema,
    handler: async ({ params, req, reply }) => {
      await review.emergencyOver(actor(req), params.id);
      return reply.status(204).send();
    },
  });

  route(app, {
    method: 'POST',
    url: '/api/legal/requests/:id/preservation/release',
    access: 'legal',
    body: noBody,
    params: requestIdParamSchema,
    handler: async ({ params, req }) => review.releasePreservation(actor(req), params.id),
  });

  route(app, {
    method: 'POST',
    url: '/api/legal/requests/:id/notices/:noticeId/suppress',
    access: 'legal',
    body: suppressBodySchema,
    params: noticeParamSchema,
    handler: async ({ body, params, req, reply }) => {
      await review.suppressNotice(actor(req), params.id, params.noticeId, body.reason, body.notes);
      return reply.status(204).send();
    },
  });

  route(app, {
    method: 'POST',
    url: '/api/legal/requests/:id/notices/:noticeId/send',
    access: 'legal',
    body: noBody,
    params: noticeParamSchema,
    handler: async ({ params, req, reply }) => {
      await review.sendNoticeNow(actor(req), params.id, params.noticeId);
      return reply.status(204).send();
    },
  });

  route(app, {
    method: 'POST',
    url: '/api/legal/requests/:id/productions',
    access: 'legal',
    body: noBody,
    params: requestIdParamSchema,
    handler: async ({ params, req, reply }) => {
      const p = await review.createProduction(actor(req), params.id);
      return reply.status(201).send({ production: productionView(p) });
    },
  });

  route(app, {
    method: 'POST',
    url: '/api/legal/requests/:id/productions/:prodId/release',
    access: 'legal',
    body: noBody,
    params: productionParamSchema,
    handler: async ({ params, req, reply }) => {
      await review.releaseProduction(actor(req), params.id, params.prodId);
      return reply.status(204).send();
    },
  });

  route(app, {
    method: 'GET',
    url: '/api/legal/requests/:id/productions/:prodId',
    access: 'legal',
    params: productionParamSchema,
    handler: async ({ params, req, reply }) => {
      const p = await review.readProduction(actor(req), params.id, params.prodId);
      return sendPackage(reply, p.meta.id, p.meta.packageSha256, p.pkg);
    },
  });

  route(app, {
    method: 'GET',
    url: '/api/legal/requests/:id/documents/:docId',
    access: 'legal',
    params: documentParamSchema,
    handler: async ({ params, req, reply }) => {
      const doc = await review.readDocument(actor(req), params.id, params.docId);
      return sendPdf(reply, doc.meta.filename, doc.content);
    },
  });

  route(app, {
    method: 'POST',
    url: '/api/legal/requests/:id/messages',
    access: 'legal',
    body: messageBodySchema,
    params: requestIdParamSchema,
    handler: async ({ body, params, req, reply }) =>
      reply
        .status(201)
        .send({ message: messageView(await review.message(actor(req), params.id, body.body)) }),
  });

  route(app, {
    method: 'GET',
    url: '/api/legal/requests/:id/audit',
    access: 'legal',
    params: requestIdParamSchema,
    handler: async ({ params, req }) =>
      ({ entries: await review.trail(actor(req), params.id) }) satisfies {
        entries: AuditEntryView[];
      },
  });

  route(app, {
    method: 'GET',
    url: '/api/legal/agencies',
    access: 'legal',
    handler: async () => ({
      agencies: (await review.listAgencies()).map(agencyView),
    }),
  });

  route(app, {
    method: 'POST',
    url: '/api/legal/agencies',
    access: 'legal-admin',
    body: agencyBodySchema,
    handler: async ({ body, req, reply }) =>
      reply.status(201).send({ agency: agencyView(await review.createAgency(actor(req), body)) }),
  });
};
