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
import type { FastifyPluginAsync } from 'fastify';
import type { Actor } from '../../modules/legal/actor';
import type { ReviewService } from '../../modules/legal/review-service';
import { caller } from '../auth/access';
import { parseOr400 } from '../validate';
import { agencyView, documentView, productionView, requestView } from './legal-views';
import { sendPackage, sendPdf } from './legal-portal';

export interface LegalReviewOptions {
  review: ReviewService;
}

/** The legal console API (legal_reviewer / legal_admin of the operator account). */
export const legalReviewRoutes: FastifyPluginAsync<LegalReviewOptions> = async (app, opts) => {
  const { review } = opts;
  const legal = { config: { access: 'legal' as const } };
  const legalAdmin = { config: { access: 'legal-admin' as const } };
  const actor = (req: Parameters<typeof caller>[0]): Actor => ({
    kind: 'user',
    id: caller(req).user.id,
  });
  const idOf = (params: unknown) => parseOr400(requestIdParamSchema, params).id;

  app.get('/api/legal/queue', legal, async (req) => ({
    queue: (await review.queue(actor(req))).map((q) => ({
      request: requestView(q.request),
      slaDueAt: q.slaDueAt,
      overdue: q.overdue,
    })),
  }));

  app.get('/api/legal/requests/:id', legal, async (req) => {
    const v = await review.view(actor(req), idOf(req.params));
    return {
      ...v,
      request: requestView(v.request),
      agency: v.agency && agencyView(v.agency),
      documents: v.documents.map(documentView),
      productions: v.productions.map(productionView),
    };
  });

  app.put('/api/legal/requests/:id/checklist', legal, async (req) => {
    const id = idOf(req.params);
    const { answers } = parseOr400(checklistBodySchema, req.body);
    return { checklist: await review.saveChecklist(actor(req), id, answers) };
  });

  app.post('/api/legal/requests/:id/decisions', legal, async (req, reply) => {
    const id = idOf(req.params);
    const body = parseOr400(decisionBodySchema, req.body);
    return reply.status(201).send({ decision: await review.decide(actor(req), id, body) });
  });

  app.post('/api/legal/requests/:id/decisions/:decisionId/approve', legal, async (req) => {
    const { id, decisionId } = parseOr400(decisionParamSchema, req.params);
    return { decision: await review.approve(actor(req), id, decisionId) };
  });

  app.post('/api/legal/requests/:id/ndo/review', legal, async (req, reply) => {
    const id = idOf(req.params);
    const body = parseOr400(ndoReviewBodySchema, req.body);
    await review.reviewNdo(actor(req), id, body.valid, body.notes);
    return reply.status(204).send();
  });

  app.post('/api/legal/requests/:id/ndo/extensions', legal, async (req, reply) => {
    const id = idOf(req.params);
    const body = parseOr400(ndoExtensionBodySchema, req.body);
    const ext = await review.extendNdo(actor(req), id, new Date(body.newEndDate), body.citation);
    return reply.status(201).send({ extension: ext });
  });

  app.post('/api/legal/requests/:id/emergency-over', legal, async (req, reply) => {
    await review.emergencyOver(actor(req), idOf(req.params));
    return reply.status(204).send();
  });

  app.post('/api/legal/requests/:id/notices/:noticeId/suppress', legal, async (req, reply) => {
    const { id, noticeId } = parseOr400(noticeParamSchema, req.params);
    const body = parseOr400(suppressBodySchema, req.body);
    await review.suppressNotice(actor(req), id, noticeId, body.reason, body.notes);
    return reply.status(204).send();
  });

  app.post('/api/legal/requests/:id/notices/:noticeId/send', legal, async (req, reply) => {
    const { id, noticeId } = parseOr400(noticeParamSchema, req.params);
    await review.sendNoticeNow(actor(req), id, noticeId);
    return reply.status(204).send();
  });

  app.post('/api/legal/requests/:id/productions', legal, async (req, reply) => {
    const p = await review.createProduction(actor(req), idOf(req.params));
    return reply.status(201).send({ production: productionView(p) });
  });

  app.post('/api/legal/requests/:id/productions/:prodId/release', legal, async (req, reply) => {
    const { id, prodId } = parseOr400(productionParamSchema, req.params);
    await review.releaseProduction(actor(req), id, prodId);
    return reply.status(204).send();
  });

  app.get('/api/legal/requests/:id/productions/:prodId', legal, async (req, reply) => {
    const { id, prodId } = parseOr400(productionParamSchema, req.params);
    const p = await review.readProduction(actor(req), id, prodId);
    return sendPackage(reply, p.meta.id, p.meta.packageSha256, p.pkg);
  });

  app.get('/api/legal/requests/:id/documents/:docId', legal, async (req, reply) => {
    const { id, docId } = parseOr400(documentParamSchema, req.params);
    const doc = await review.readDocument(actor(req), id, docId);
    return sendPdf(reply, doc.meta.filename, doc.content);
  });

  app.post('/api/legal/requests/:id/messages', legal, async (req, reply) => {
    const id = idOf(req.params);
    const { body } = parseOr400(messageBodySchema, req.body);
    return reply.status(201).send({ message: await review.message(actor(req), id, body) });
  });

  app.get('/api/legal/requests/:id/audit', legal, async (req) => ({
    entries: await review.trail(actor(req), idOf(req.params)),
  }));

  app.get('/api/legal/agencies', legal, async () => ({
    agencies: (await review.listAgencies()).map(agencyView),
  }));

  app.post('/api/legal/agencies', legalAdmin, async (req, reply) => {
    const body = parseOr400(agencyBodySchema, req.body);
    return reply
      .status(201)
      .send({ agency: agencyView(await review.createAgency(actor(req), body)) });
  });
};
