import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema';
import { UsageError } from './commands';

// Where an account is (billing address country, ISO 3166): the trust center's "target outside
// the requesting jurisdiction" pre-check reads it. Account owners and admins set it in the admin
// console (PUT /api/admin/location, audited); this command is the operator's way in.

const country = z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code such as US');
const subdivision = z.string().regex(/^[A-Z0-9]{1,3}$/, 'an ISO 3166-2 subdivision such as CA');

export async function setAccountLocationCommand(
  db: Kysely<Database>,
  opts: { account?: string; country?: string; subdivision?: string },
): Promise<string> {
  if (!opts.account) throw new UsageError('--account: required');
  const c = country.safeParse(opts.country?.toUpperCase());
  if (!c.success) throw new UsageError(`--country: ${c.error.issues[0]?.message ?? 'invalid'}`);
  let sub: string | null = null;
  if (opts.subdivision !== undefined) {
    const s = subdivision.safeParse(opts.subdivision.toUpperCase());
    if (!s.success)
      throw new UsageError(`--subdivision: ${s.error.issues[0]?.message ?? 'invalid'}`);
    sub = s.data;
  }
  const res = await db
    .updateTable('accounts')
    .set({ country_iso2: c.data, subdivision: sub })
    .where('id', '=', opts.account)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1)
    throw new UsageError(`no account with the id ${opts.account}`);
  return `Account ${opts.account} is located in ${c.data}${sub ? `-${sub}` : ''}.`;
}
