import {
  csvQuerySchema,
  errataBodySchema,
  guideBodySchema,
  MAX_GUIDE_CHARS,
  periodParamSchema,
  previewQuerySchema,
  publishBodySchema,
  reportQuerySchema,
} from '@conclave/protocol';
import type { FastifyPluginAsync } from 'fastify';
import type { Actor } from '../../modules/legal/actor';
import { toCsv } from '../../modules/transparency/csv';
import { METHODOLOGY } from '../../modules/transparency/methodology';
import type { TransparencyService } from '../../modules/transparency/transparency-service';
import { caller } from '../auth/access';
import { parseOr400 } from '../validate';

export interface TransparencyRouteOptions {
  transparency: TransparencyService;
}

/** Public transparency reports and the legal admin's preview/publish/errata (issue 8). */
export const transparencyRoutes: FastifyPluginAsync<TransparencyRouteOptions> = async (
  app,
  { transparency },
) => {
  const pub = { config: { access: 'public' as const } };
  const legalAdmin = { config: { access: 'legal-admin' as const } };
  const actor = (req: Parameters<typeof caller>[0]): Actor => ({
    kind: 'user',
    id: caller(req).user.id,
  });

  // ---- public, no sign-in
  app.get('/api/transparency/reports', pub, async () => ({
    trends: await transparency.trends(),
  }));
  app.get('/api/transparency/reports/:period', pub, async (req) => {
    const { period } = parseOr400(periodParamSchema, req.params);
    return transparency.published(period, parseOr400(reportQuerySchema, req.query));
  });
  // Downloads of exactly what the page shows: the same view, the same filter.
  app.get('/api/transparency/reports/:period/json', pub, async (req, reply) => {
    const { period } = parseOr400(periodParamSchema, req.params);
    const v = await transparency.published(period, parseOr400(reportQuerySchema, req.query));
    return reply
      .header(
        'content-disposition',
        `attachment; filename="transparency-${period}-v${v.snapshot?.version}.json"`,
      )
      .type('application/json')
      .send(JSON.stringify(v, null, 2));
  });
  app.get('/api/transparency/reports/:period/csv', pub, async (req, reply) => {
    const { period } = parseOr400(periodParamSchema, req.params);
    const q = parseOr400(csvQuerySchema, req.query);
    const v = await transparency.published(period, q);
    return reply
      .header(
        'content-disposition',
        `attachment; filename="${q.table}-${period}-v${v.snapshot?.version}.csv"`,
      )
      .type('text/csv; charset=utf-8')
      .send(toCsv(v.data, q.table));
  });
  app.get('/api/transparency/methodology', pub, async () => ({ markdown: METHODOLOGY }));
  app.get('/api/transparency/guide', pub, async () => transparency.guide());

  // ---- legal admin
  // Room for MAX_GUIDE_CHARS of 4-byte UTF-8 plus JSON escaping; the schema then says "at most".
  const guideRoute = { ...legalAdmin, bodyLimit: MAX_GUIDE_CHARS * 6 };
  app.put('/api/transparency/guide', guideRoute, async (req, reply) => {
    const { markdown } = parseOr400(guideBodySchema, req.body);
    await transparency.setGuide(actor(req), markdown);
    return reply.status(204).send();
  });
  app.get('/api/legal/transparency/preview/:period', legalAdmin, async (req) => {
    const { period } = parseOr400(periodParamSchema, req.params);
    const { bandWidth } = parseOr400(previewQuerySchema, req.query);
    return transparency.preview(period, bandWidth);
  });
  app.post('/api/legal/transparency/reports', legalAdmin, async (req, reply) => {
    const { period, bandWidth } = parseOr400(publishBodySchema, req.body);
    return reply
      .status(201)
      .send({ snapshot: await transparency.publish(actor(req), period, bandWidth) });
  });
  app.post('/api/legal/transparency/reports/:period/errata', legalAdmin, async (req, reply) => {
    const { period } = parseOr400(periodParamSchema, req.params);
    const b = parseOr400(errataBodySchema, req.body);
    return reply.status(201).send({
      snapshot: await transparency.errata(
        actor(req),
        period,
        b.expectedVersion,
        b.note,
        b.bandWidth,
      ),
    });
  });
};
