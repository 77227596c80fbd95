import multipart from '@fastify/multipart';
import {
  ConclaveError,
  attestationBodySchema,
  documentParamSchema,
  messageBodySchema,
  productionParamSchema,
  requestIdParamSchema,
  requesterLoginSchema,
  requesterRegisterSchema,
  submitRequestSchema,
  tokenBodySchema,
  totpCodeBodySchema,
  withdrawBodySchema,
} from '@conclave/protocol';
import type { RequesterMe } from '@conclave/protocol';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { LoginLimiter } from '../../modules/accounts/login-limiter';
import type { IntakeService } from '../../modules/legal/intake-service';
import { ATTESTATION_TEXT, ATTESTATION_VERSION } from '../../modules/legal/requester-service';
import type { RequesterService } from '../../modules/legal/requester-service';
import { requesterOf } from '../auth/access';
import type { CookiePolicy } from '../auth/cookies';
import {
  clearRequesterCookie,
  clearRequesterCsrfToken,
  ensureCsrfToken,
  issueCsrfToken,
  setRequesterCookie,
} from '../auth/cookies';
import { noBody, route } from '../route';
import { z } from 'zod';
import {
  documentView,
  messageView,
  portalDetailView,
  requestView,
  requesterView,
} from './legal-views';

export interface LegalPortalOptions {
  requesters: RequesterService;
  intake: IntakeService;
  limiter: LoginLimiter;
  cookies: CookiePolicy;
  maxDocumentBytes: number;
}

/** The requester portal: the only way a government request enters (issue 7). */
export const legalPortalRoutes: FastifyPluginAsync<LegalPortalOptions> = async (app, opts) => {
  const { requesters, intake, cookies } = opts;
  // Scoped to this plugin: no other route accepts multipart bodies.
  await app.register(multipart, {
    limits: { fileSize: opts.maxDocumentBytes, files: 1, fields: 0, parts: 1 },
  });

  const session = 'requester-session' as const;
  const verified = 'requester' as const;
  const requestParams = requestIdParamSchema;

  route(app, {
    method: 'POST',
    url: '/api/legal/portal/register',
    access: 'public',
    body: requesterRegisterSchema,
    handler: async ({ body, req, reply }) => {
      if (!(await opts.limiter.take(`legal:${req.ip}`))) throw new ConclaveError('RATE_LIMITED');
      return reply.status(201).send(await requesters.register(body));
    },
  });

  route(app, {
    method: 'POST',
    url: '/api/legal/portal/verify-email',
    access: 'public',
    body: tokenBodySchema,
    handler: async ({ body, reply }) => {
      await requesters.verifyEmail(body.token);
      return reply.status(204).send();
    },
  });

  route(app, {
    method: 'POST',
    url: '/api/legal/portal/login',
    access: 'public',
    body: requesterLoginSchema,
    handler: async ({ body, req, reply }) => {
      if (!(await opts.limiter.take(`legal:${req.ip}`))) throw new ConclaveError('RATE_LIMITED');
      const token = await requesters.login(body.email, body.password, body.totpCode);
      const ctx = await requesters.resolve(token);
      if (!ctx) throw new ConclaveError('INTERNAL');
      setRequesterCookie(reply, cookies, token);
      return {
        ...requesterView(ctx),
        maxDocumentBytes: opts.maxDocumentBytes,
        // Bound to the new requester session (cookie `conclave_legal_csrf`).
        csrfToken: issueCsrfToken(reply, cookies, 'requester', token),
      } satisfies RequesterMe;
    },
  });

  route(app, {
    method: 'POST',
    url: '/api/legal/portal/logout',
    access: session,
    body: noBody,
    handler: async ({ req, reply }) => {
      await requesters.logout(requesterOf(req));
      clearRequesterCookie(reply, cookies);
      // Without the requester session the portal falls back to `conclave_csrf`.
      clearRequesterCsrfToken(reply, cookies);
      return reply.status(204).send();
    },
  });

  route(app, {
    method: 'GET',
    url: '/api/legal/portal/me',
    access: session,
    // The upload limit rides along so the portal can refuse an oversized file before sending it.
    handler: async ({ req, reply }) =>
      ({
        ...requesterView(requesterOf(req)),
        maxDocumentBytes: opts.maxDocumentBytes,
        csrfToken: ensureCsrfToken(req, reply, cookies),
      }) satisfies RequesterMe,
  });

  route(app, {
    method: 'POST',
    url: '/api/legal/portal/2fa/enroll',
    access: session,
    body: noBody,
    handler: async ({ req }) => requesters.enrollTotp(requesterOf(req)),
  });

  route(app, {
    method: 'POST',
    url: '/api/legal/portal/2fa/verify',
    access: session,
    body: totpCodeBodySchema,
    handler: async ({ body, req, reply }) => {
      await requesters.confirmTotp(requesterOf(req), body.code);
      return reply.status(204).send();
    },
  });

  route(app, {
    method: 'GET',
    url: '/api/legal/portal/attestation',
    access: 'public',
    handler: async () => ({ version: ATTESTATION_VERSION, text: ATTESTATION_TEXT }),
  });

  route(app, {
    method: 'POST',
    url: '/api/legal/portal/attestation',
    access: session,
    body: attestationBodySchema,
    handler: async ({ req, reply }) => {
      const ctx = requesterOf(req);
      if (!ctx.requester.emailVerifiedAt)
        throw new ConclaveError('LEGAL_REQUESTER_NOT_VERIFIED', 'Verify your email first.');
      await requesters.acceptAttestation(ctx);
      return reply.status(204).send();
    },
  });

  route(app, {
    method: 'POST',
    url: '/api/legal/portal/requests',
    access: verified,
    body: submitRequestSchema,
    handler: async ({ body, req, reply }) => {
      const { request, created } = await intake.submit(requesterOf(req), body);
      return reply.status(created ? 201 : 200).send({ request: requestView(request) });
    },
  });

  route(app, {
    method: 'GET',
    url: '/api/legal/portal/requests',
    access: verified,
    handler: async ({ req }) => ({
      requests: (await intake.list(requesterOf(req))).map(requestView),
    }),
  });

  route(app, {
    method: 'GET',
    url: '/api/legal/portal/requests/:id',
    access: verified,
    params: requestParams,
    handler: async ({ params, req }) => {
      return portalDetailView(await intake.view(requesterOf(req), params.id));
    },
  });

  route(app, {
    method: 'POST',
    url: '/api/legal/portal/requests/:id/documents',
    access: verified,
    // multipart/form-data: the file part is read and checked (size, %PDF- magic) by readUpload.
    body: z.unknown(),
    params: requestParams,
    handler: async ({ params, req, reply }) => {
      const { filename, bytes } = await readUpload(req);
      const meta = await intake.upload(requesterOf(req), params.id, filename, bytes);
      return reply.status(201).send({ document: documentView(meta) });
    },
  });

  route(app, {
    method: 'GET',
    url: '/api/legal/portal/requests/:id/documents/:docId',
    access: verified,
    params: documentParamSchema,
    handler: async ({ params, req, reply }) => {
      const doc = await intake.readDocument(requesterOf(req), params.id, params.docId);
      return sendPdf(reply, doc.meta.filename, doc.content);
    },
  });

  route(app, {
    method: 'POST',
    url: '/api/legal/portal/requests/:id/messages',
    access: verified,
    body: messageBodySchema,
    params: requestParams,
    handler: async ({ body, params, req, reply }) =>
      reply.status(201).send({
        message: messageView(await intake.message(requesterOf(req), params.id, body.body)),
      }),
  });

  route(app, {
    method: 'POST',
    url: '/api/legal/portal/requests/:id/withdraw',
    access: verified,
    body: withdrawBodySchema,
    params: requestParams,
    handler: async ({ body, params, req }) => ({
      request: requestView(await intake.withdraw(requesterOf(req), params.id, body.reason)),
    }),
  });

  route(app, {
    method: 'GET',
    url: '/api/legal/portal/requests/:id/productions/:prodId',
    access: verified,
    params: productionParamSchema,
    handler: async ({ params, req, reply }) => {
      const p = await intake.downloadProduction(requesterOf(req), params.id, params.prodId);
      return sendPackage(reply, p.meta.id, p.meta.packageSha256, p.pkg);
    },
  });
};

/** One file part; size and type problems become catalogue errors, never a half-read body. */
async function readUpload(req: FastifyRequest): Promise<{ filename: string; bytes: Buffer }> {
  if (!req.isMultipart())
    throw new ConclaveError('BAD_REQUEST', 'Send the document as multipart/form-data.');
  try {
    const part = await req.file();
    if (!part) throw new ConclaveError('BAD_REQUEST', 'No file in the upload.');
    return { filename: part.filename, bytes: await part.toBuffer() };
  } catch (err) {
    if (err instanceof ConclaveError) throw err;
    const code = (err as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw new ConclaveError('LEGAL_DOCUMENT_TOO_LARGE');
    throw new ConclaveError('BAD_REQUEST', 'The upload could not be read.');
  }
}

export function sendPdf(reply: FastifyReply, filename: string, content: Uint8Array) {
  return reply
    .header('content-type', 'application/pdf')
    .header('content-disposition', `attachment; filename="${filename}"`)
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'no-store')
    .send(Buffer.from(content));
}

export function sendPackage(reply: FastifyReply, id: string, sha256: string, pkg: Uint8Array) {
  return reply
    .header('content-type', 'application/json')
    .header('content-disposition', `attachment; filename="production-${id}.json"`)
    .header('x-content-sha256', sha256)
    .header('cache-control', 'no-store')
    .send(Buffer.from(pkg));
}
