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
import { route } from '../route';

export interface TransparencyRouteOptions {
  transparency: TransparencyService;
}

/** Public transparency reports and the legal admin's preview/publish/errata (issue 8). */
export const transparencyRoutes: FastifyPluginAsync<TransparencyRouteOptions> = async (
  app,
  { transparency },
) => {
  const actor = (req: Parameters<typeof caller>[0]): Actor => ({
    kind: 'user',
    id: caller(req).user.id,
  });

  // ---- public, no sign-in
  route(app, {
    method: 'GET',
    url: '/api/transparency/reports',
    access: 'public',
    handler: async () => ({ trends: await transparency.trends() }),
  });
  route(app, {
    method: 'GET',
    url: '/api/transparency/reports/:period',
    access: 'public',
    params: periodParamSchema,
    query: reportQuerySchema,
    handler: ({ params, query }) => transparency.published(params.period, query),
  });
  // Downloads of exactly what the page shows: the same view, the same filter.
  route(app, {
    method: 'GET',
    url: '/api/transparency/reports/:period/json',
    access: 'public',
    params: periodParamSchema,
    query: reportQuerySchema,
    handler: async ({ params, query, reply }) => {
      const v = await transparency.published(params.period, query);
      return reply
        .header(
          'content-disposition',
          `attachment; filename="transparency-${params.period}-v${v.snapshot?.version}.json"`,
        )
        .type('application/json')
        .send(JSON.stringify(v, null, 2));
    },
  });
  route(app, {
    method: 'GET',
    url: '/api/transparency/reports/:period/csv',
    access: 'public',
    params: periodParamSchema,
    query: csvQuerySchema,
    handler: async ({ params, query, reply }) => {
      const v = await transparency.published(params.period, query);
      return reply
        .header(
          'content-disposition',
          `attachment; filename="${query.table}-${params.period}-v${v.snapshot?.version}.csv"`,
        )
        .type('text/csv; charset=utf-8')
        .send(toCsv(v.data, query.table));
    },
  });
  route(app, {
    method: 'GET',
    url: '/api/transparency/methodology',
    access: 'public',
    handler: () => Promise.resolve({ markdown: METHODOLOGY }),
  });
  route(app, {
    method: 'GET',
    url: '/api/transparency/guide',
    access: 'public',
    handler: () => transparency.guide(),
  });

  // ---- legal admin
  route(app, {
    method: 'PUT',
    url: '/api/transparency/guide',
    access: 'legal-admin',
    // Room for MAX_GUIDE_CHARS of 4-byte UTF-8 plus JSON escaping; the schema then says "at most".
    bodyLimit: MAX_GUIDE_CHARS * 6,
    body: guideBodySchema,
    handler: async ({ req, body, reply }) => {
      await transparency.setGuide(actor(req), body.markdown);
      return reply.status(204).send();
    },
  });
  route(app, {
    method: 'GET',
    url: '/api/legal/transparency/preview/:period',
    access: 'legal-admin',
    params: periodParamSchema,
    query: previewQuerySchema,
    handler: ({ params, query }) => transparency.preview(params.period, query.bandWidth),
  });
  route(app, {
    method: 'POST',
    url: '/api/legal/transparency/reports',
    access: 'legal-admin',
    body: publishBodySchema,
    handler: async ({ req, body, reply }) =>
      reply
        .status(201)
        .send({ snapshot: await transparency.publish(actor(req), body.period, body.bandWidth) }),
  });
  route(app, {
    method: 'POST',
    url: '/api/legal/transparency/reports/:period/errata',
    access: 'legal-admin',
    params: periodParamSchema,
    body: errataBodySchema,
    handler: async ({ req, params, body, reply }) =>
      reply.status(201).send({
        snapshot: await transparency.errata(
          actor(req),
          params.period,
          body.expectedVersion,
          body.note,
          body.bandWidth,
        ),
      }),
  });
};
