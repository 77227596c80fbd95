import { ConclaveError } from '@conclave/protocol';
import type { ErrorBody } from '@conclave/protocol';
import type { FastifyError, FastifyInstance } from 'fastify';

/**
 * Every error leaves as `{ code, message }` from the catalogue. Validation and parse errors
 * become 4xx with what was wrong; anything unknown becomes a generic 500 that leaks nothing
 * (the details go to the log only).
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof ConclaveError) {
      if (err.retryAfterSeconds !== undefined)
        void reply.header('retry-after', String(err.retryAfterSeconds));
      return reply.status(err.status).send(err.toBody());
    }
    if (err.validation) {
      const first = err.validation[0];
      const where = first?.instancePath ? ` (${first.instancePath.replace(/^\//, '')})` : '';
      const body: ErrorBody = {
        code: 'BAD_REQUEST',
        message: `${first?.message ?? 'Invalid request'}${where}.`,
      };
      return reply.status(400).send(body);
    }
    if (err.statusCode === 413 || err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply
        .status(413)
        .send({ code: 'MESSAGE_TOO_LARGE', message: 'The request body is too large.' });
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return reply
        .status(err.statusCode)
        .send({ code: 'BAD_REQUEST', message: 'The request is not valid.' });
    }
    req.log.error({ err }, 'unhandled error');
    return reply.status(500).send(new ConclaveError('INTERNAL').toBody());
  });
}
