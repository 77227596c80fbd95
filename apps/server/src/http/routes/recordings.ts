import {
  ConclaveError,
  recordingFileParamsSchema,
  recordingFileQuerySchema,
  recordingIdParamsSchema,
  setRecordingSettingsBodySchema,
} from '@conclave/protocol';
import type { FastifyPluginAsync } from 'fastify';
import type { RecordingService } from '../../modules/recordings/recording-service';
import { sealedRange } from '../../modules/recordings/sealed-file';
import { caller } from '../auth/access';
import { noBody, route } from '../route';

export interface RecordingRoutesOptions {
  recordings: RecordingService;
  /** The key recording files are sealed with (derived from the server secret key). */
  key: Buffer;
}

const MIME = { video: 'video/webm', audio: 'audio/webm', transcript: 'text/plain; charset=utf-8' };

/** `bytes=a-b` / `bytes=a-` / `bytes=-n` (RFC 9110 §14.1.2); undefined: serve everything. */
function parseRange(header: string | undefined, size: number) {
  const m = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start > end || start >= size) return null;
  return { start, end };
}

/**
 * Recordings under /account (the meeting's owner and co-hosts) and /admin (the account's owners
 * and admins): list, play (ranges, so the browser can seek), download, delete, and the account's
 * recording settings. Files are opened from their sealed form as they are streamed.
 */
export const recordingRoutes: FastifyPluginAsync<RecordingRoutesOptions> = async (app, opts) => {
  const { recordings } = opts;

  route(app, {
    method: 'GET',
    url: '/api/my/recordings',
    access: 'signed-in',
    handler: async ({ req }) => ({ recordings: await recordings.listMine(caller(req).user) }),
  });

  route(app, {
    method: 'GET',
    url: '/api/admin/recordings',
    access: 'account-admin',
    handler: async ({ req }) => ({ recordings: await recordings.listAccount(caller(req).user) }),
  });

  route(app, {
    method: 'GET',
    url: '/api/recordings/:id',
    access: 'signed-in',
    params: recordingIdParamsSchema,
    handler: async ({ req, params }) => recordings.get(caller(req).user, params.id),
  });

  route(app, {
    method: 'GET',
    url: '/api/recordings/:id/files/:kind',
    access: 'signed-in',
    params: recordingFileParamsSchema,
    query: recordingFileQuerySchema,
    handler: async ({ req, reply, params, query }) => {
      const file = await recordings.file(caller(req).user, params.id, params.kind);
      const range = parseRange(req.headers.range, file.bytes);
      if (range === null)
        return reply
          .status(416)
          .header('content-range', `bytes */${file.bytes}`)
          .send({ code: 'BAD_REQUEST', message: 'The requested range is not in the file.' });
      const { start, end } = range ?? { start: 0, end: file.bytes - 1 };
      reply
        .header('content-type', MIME[params.kind])
        .header('accept-ranges', 'bytes')
        .header('cache-control', 'private, no-store')
        .header('x-content-sha256', file.sha256)
        .header('content-length', String(Math.max(0, end - start + 1)))
        .header(
          'content-disposition',
          `${query.download === '1' ? 'attachment' : 'inline'}; filename="${file.name}"`,
        );
      if (range) reply.status(206).header('content-range', `bytes ${start}-${end}/${file.bytes}`);
      if (file.bytes === 0) return reply.send('');
      return reply.send(sealedRange(file.path, opts.key, start, end));
    },
  });

  route(app, {
    method: 'DELETE',
    url: '/api/recordings/:id',
    access: 'signed-in',
    params: recordingIdParamsSchema,
    body: noBody,
    handler: async ({ req, reply, params }) => {
      await recordings.delete(caller(req).user, params.id);
      return reply.status(204).send();
    },
  });

  route(app, {
    method: 'GET',
    url: '/api/admin/recording-settings',
    access: 'account-admin',
    handler: async ({ req }) => recordings.settings(caller(req).account.id),
  });

  route(app, {
    method: 'PUT',
    url: '/api/admin/recording-settings',
    access: 'account-admin',
    body: setRecordingSettingsBodySchema,
    handler: async ({ req, body }) => {
      if (Object.keys(body).length === 0) throw new ConclaveError('BAD_REQUEST');
      return recordings.saveSettings(caller(req).user, body);
    },
  });
};
