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
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { LoginLimiter } from '../../modules/accounts/login-limiter';
import type { IntakeService } from '../../modules/legal/intake-service';
import { ATTESTATION_TEXT, ATTESTATION_VERSION } from '../../modules/legal/requester-service';
import type { RequesterService } from '../../modules/legal/requester-service';
import { requesterOf } from '../auth/access';
import type { CookiePolicy } from '../auth/cookies';
import { clearRequesterCookie, ensureCsrfToken, setRequesterCookie } from '../auth/cookies';
import { parseOr400 } from '../validate';
import { documentView, productionView, requestView, requesterView } from './legal-views';

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

  app.post('/api/legal/portal/register', { config: { access: 'public' } }, async (req, reply) => {
    if (!opts.limiter.take(`legal:${req.ip}`)) throw new ConclaveError('RATE_LIMITED');
    const body = parseOr400(requesterRegisterSchema, req.body);
    const out = await requesters.register(body);
    return reply.status(201).send(out);
  });

  app.post(
    '/api/legal/portal/verify-email',
    { config: { access: 'public' } },
    async (req, reply) => {
      await requesters.verifyEmail(parseOr400(tokenBodySchema, req.body).token);
      return reply.status(204).send();
    },
  );

  app.post('/api/legal/portal/login', { config: { access: 'public' } }, async (req, reply) => {
    if (!opts.limiter.take(`legal:${req.ip}`)) throw new ConclaveError('RATE_LIMITED');
    const body = parseOr400(requesterLoginSchema, req.body);
    const token = await requesters.login(body.email, body.password, body.totpCode);
    const ctx = await requesters.resolve(token);
    if (!ctx) throw new ConclaveError('INTERNAL');
    setRequesterCookie(reply, cookies, token);
    return {
      ...requesterView(ctx),
      maxDocumentBytes: opts.maxDocumentBytes,
      csrfToken: ensureCsrfToken(req, reply, cookies),
    };
  });

  const session = { config: { access: 'requester-session' as const } };
  const verified = { config: { access: 'requester' as const } };

  app.post('/api/legal/portal/logout', session, async (req, reply) => {
    await requesters.logout(requesterOf(req));
    clearRequesterCookie(reply, cookies);
    return reply.status(204).send();
  });

  // The upload limit rides along so the portal can refuse an oversized file before sending it.
  app.get('/api/legal/portal/me', session, async (req, reply) => ({
    ...requesterView(requesterOf(req)),
    maxDocumentBytes: opts.maxDocumentBytes,
    csrfToken: ensureCsrfToken(req, reply, cookies),
  }));

  app.post('/api/legal/portal/2fa/enroll', session, async (req) =>
    requesters.enrollTotp(requesterOf(req)),
  );

  app.post('/api/legal/portal/2fa/verify', session, async (req, reply) => {
    await requesters.confirmTotp(requesterOf(req), parseOr400(totpCodeBodySchema, req.body).code);
    return reply.status(204).send();
  });

  app.get('/api/legal/portal/attestation', { config: { access: 'public' } }, async () => ({
    version: ATTESTATION_VERSION,
    text: ATTESTATION_TEXT,
  }));

  app.post('/api/legal/portal/attestation', session, async (req, reply) => {
    const ctx = requesterOf(req);
    parseOr400(attestationBodySchema, req.body);
    if (!ctx.requester.emailVerifiedAt)
      throw new ConclaveError('LEGAL_REQUESTER_NOT_VERIFIED', 'Verify your email first.');
    await requesters.acceptAttestation(ctx);
    return reply.status(204).send();
  });

  app.post('/api/legal/portal/requests', verified, async (req, reply) => {
    const body = parseOr400(submitRequestSchema, req.body);
    const { request, created } = await intake.submit(requesterOf(req), body);
    return reply.status(created ? 201 : 200).send({ request: requestView(request) });
  });

  app.get('/api/legal/portal/requests', verified, async (req) => ({
    requests: (await intake.list(requesterOf(req))).map(requestView),
  }));

  app.get('/api/legal/portal/requests/:id', verified, async (req) => {
    const { id } = parseOr400(requestIdParamSchema, req.params);
    const v = await intake.view(requesterOf(req), id);
    return {
      request: requestView(v.request),
      documents: v.documents.map(documentView),
      messages: v.messages,
      productions: v.productions.map(productionView),
    };
  });

  app.post('/api/legal/portal/requests/:id/documents', verified, async (req, reply) => {
    const { id } = parseOr400(requestIdParamSchema, req.params);
    const { filename, bytes } = await readUpload(req);
    const meta = await intake.upload(requesterOf(req), id, filename, bytes);
    return reply.status(201).send({ document: documentView(meta) });
  });

  app.get('/api/legal/portal/requests/:id/documents/:docId', verified, async (req, reply) => {
    const { id, docId } = parseOr400(documentParamSchema, req.params);
    const doc = await intake.readDocument(requesterOf(req), id, docId);
    return sendPdf(reply, doc.meta.filename, doc.content);
  });

  app.post('/api/legal/portal/requests/:id/messages', verified, async (req, reply) => {
    const { id } = parseOr400(requestIdParamSchema, req.params);
    const { body } = parseOr400(messageBodySchema, req.body);
    return reply.status(201).send({ message: await intake.message(requesterOf(req), id, body) });
  });

  app.post('/api/legal/portal/requests/:id/withdraw', verified, async (req) => {
    const { id } = parseOr400(requestIdParamSchema, req.params);
    const { reason } = parseOr400(withdrawBodySchema, req.body);
    return { request: requestView(await intake.withdraw(requesterOf(req), id, reason)) };
  });

  app.get('/api/legal/portal/requests/:id/productions/:prodId', verified, async (req, reply) => {
    const { id, prodId } = parseOr400(productionParamSchema, req.params);
    const p = await intake.downloadProduction(requesterOf(req), id, prodId);
    return sendPackage(reply, p.meta.id, p.meta.packageSha256, p.pkg);
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
