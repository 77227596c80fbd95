import type { z } from 'zod';
import { ConclaveError } from '../errors';
import { CLIENT_MESSAGE_TYPES, clientMessageSchema } from './client-messages';
import type { ClientMessage } from './client-messages';
import { MAX_MESSAGE_BYTES, MAX_NESTING_DEPTH } from './common';
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

/**
 * True when the JSON text opens more than `max` arrays or objects inside each other. A linear
 * scan that stops at the first level too deep, run before JSON.parse so that a frame of a
 * million brackets never reaches the parser or the schema.
 */
export function nestedDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

function parse<T>(
  data: string | ArrayBuffer | Uint8Array,
  schema: z.ZodType<T>,
  maxDepth: number,
  knownTypes?: readonly string[],
): DecodeResult<T> {
  if (byteLength(data) > MAX_MESSAGE_BYTES) {
    return { ok: false, error: new ConclaveError('MESSAGE_TOO_LARGE') };
  }
  const text = typeof data === 'string' ? data : new TextDecoder().decode(data);
  if (nestedDeeperThan(text, maxDepth)) {
    return {
      ok: false,
      error: new ConclaveError(
        'MESSAGE_MALFORMED',
        `The message is nested more than ${maxDepth} levels deep.`,
      ),
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
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
  return parse<ClientMessage>(data, clientMessageSchema, MAX_NESTING_DEPTH, CLIENT_MESSAGE_TYPES);
}

/** The only way bytes from the server become a ServerMessage in clients. */
export function decodeServerMessage(data: string | ArrayBuffer | Uint8Array) {
  // Responses carry results whose shape the union leaves open (`result: unknown`): a looser
  // bound that still keeps a hostile server from handing the client a parser bomb.
  return parse<ServerMessage>(data, serverMessageSchema, 64);
}

export function encodeMessage(message: ClientMessage | ServerMessage): string {
  return JSON.stringify(message);
}
