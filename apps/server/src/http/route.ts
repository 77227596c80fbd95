import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Access } from './auth/access';
import { parseOr400 } from './validate';

/** The body of routes that take none: absent or `{}`, nothing else (unknown fields are refused). */
export const noBody = z.object({}).strict().optional();

export interface RouteSchemas {
  body?: z.ZodType;
  query?: z.ZodType;
  params?: z.ZodType;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The zod schemas the route validates with: validator, type and documentation at once. */
    schemas?: RouteSchemas;
  }
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteSpec<B extends z.ZodType, Q extends z.ZodType, P extends z.ZodType> {
  method: Method;
  url: string;
  access: Access;
  csrf?: 'always' | 'when-signed-in';
  /** Overrides the app's 64 KiB body limit (e.g. long Markdown). */
  bodyLimit?: number;
  body?: B;
  query?: Q;
  params?: P;
  handler: (input: {
    body: z.infer<B>;
    query: z.infer<Q>;
    params: z.infer<P>;
    req: FastifyRequest;
    reply: FastifyReply;
  }) => Promise<unknown>;
}

/**
 * Registers a route whose access rule and zod schemas are declared next to it (CONVENTIONS.md
 * rule 9). Inputs are parsed after the access check, so an unauthorised caller learns nothing
 * from validation messages; a failure is a 400 naming the field.
 */
export function route<
  B extends z.ZodType = z.ZodUndefined,
  Q extends z.ZodType = z.ZodUndefined,
  P extends z.ZodType = z.ZodUndefined,
>(app: FastifyInstance, spec: RouteSpec<B, Q, P>): void {
  const schemas: RouteSchemas = {
    ...(spec.body ? { body: spec.body } : {}),
    ...(spec.query ? { query: spec.query } : {}),
    ...(spec.params ? { params: spec.params } : {}),
  };
  app.route({
    method: spec.method,
    url: spec.url,
    ...(spec.bodyLimit ? { bodyLimit: spec.bodyLimit } : {}),
    config: { access: spec.access, ...(spec.csrf ? { csrf: spec.csrf } : {}), schemas },
    handler: async (req, reply) =>
      spec.handler({
        body: (spec.body ? parseOr400(spec.body, req.body) : undefined) as z.infer<B>,
        query: (spec.query ? parseOr400(spec.query, req.query) : undefined) as z.infer<Q>,
        params: (spec.params ? parseOr400(spec.params, req.params) : undefined) as z.infer<P>,
        req,
        reply,
      }),
  });
}
