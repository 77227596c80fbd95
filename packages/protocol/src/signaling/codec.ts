import type { z } from 'zod';
import { ConclaveError } from '../errors';
import { CLIENT_MESSAGE_TYPES, clientMessageSchema } from './client-messages';
import type { ClientMessage } from './client-messages';
import { MAX_MESSAGE_BYTES } from './common';
import { serverMessageSchema } from './server-messages';
import type { ServerMessage } from './server-messages';

/** What decoding told about a frame that is not a valid message. */
export interface DecodeFailure {
  ok: false;
  error: ConclaveError;
  /** The request id, when the frame was JSON with a readable `id`, so the reply can carry it. */
  requestId?: string;
}
export type DecodeResult<T> = { ok: true; message: T } | DecodeFailure;

function byteLength(data: string | ArrayBuffer | Uint8Array): number {
  if (typeof data === 'string') return new TextEncoder().encode(data).byteLength;
  return data.byteLength;
}

function parse<T>(
  data: string | ArrayBuffer | Uint8Array,
  schema: z.ZodType<T>,
  knownTypes?: readonly string[],
): DecodeResult<T> {
  if (byteLength(data) > MAX_MESSAGE_BYTES) {
    return { ok: false, error: new ConclaveError('MESSAGE_TOO_LARGE') };
  }
  let json: unknown;
  try {
    json = JSON.parse(typeof data === 'string' ? data : new TextDecoder().decode(data));
  } catch {
    return { ok: false, error: new ConclaveError('MESSAGE_MALFORMED', 'The message is not JSON.') };
  }
  const requestId =
    typeof json === 'object' && json !== null && 'id' in json && typeof json.id === 'string'
      ? json.id.slice(0, 64)
      : undefined;
  const type = typeof json === 'object' && json !== null && 'type' in json ? json.type : undefined;
  if (knownTypes && (typeof type !== 'string' || !knownTypes.includes(type))) {
    return {
      ok: false,
      requestId,
      error: new ConclaveError(
        'UNKNOWN_MESSAGE_TYPE',
        `Unknown message type ${JSON.stringify(type)?.slice(0, 40) ?? 'undefined'}.`,
      ),
    };
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
    return {
      ok: false,
      requestId,
      error: new ConclaveError(
        'MESSAGE_MALFORMED',
        `${issue?.message ?? 'Invalid message'}${where}.`,
      ),
    };
  }
  return { ok: true, message: result.data };
}

/** The only way bytes from a client become a ClientMessage (DESIGN.md §3). */
export function decodeClientMessage(data: string | ArrayBuffer | Uint8Array) {
  return parse<ClientMessage>(data, clientMessageSchema, CLIENT_MESSAGE_TYPES);
}

/** The only way bytes from the server become a ServerMessage in clients. */
export function decodeServerMessage(data: string | ArrayBuffer | Uint8Array) {
  return parse<ServerMessage>(data, serverMessageSchema);
}

export function encodeMessage(message: ClientMessage | ServerMessage): string {
  return JSON.stringify(message);
}
