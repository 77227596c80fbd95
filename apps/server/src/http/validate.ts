import { ConclaveError } from '@conclave/protocol';
import type { z } from 'zod';

/** Parses a request part with a shared zod schema; a failure is a 400 naming the field. */
export function parseOr400<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const text = (issue?.message ?? 'Invalid request').replace(/\.$/, '');
  const where = issue?.path.length ? ` (${issue.path.join('.')})` : '';
  throw new ConclaveError('BAD_REQUEST', `${text}${where}.`);
}
