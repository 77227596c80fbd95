import { Migrator } from 'kysely';
import type { Kysely } from 'kysely';
import { migrations } from './migrations';

/**
 * Brings a database to the newest migration; shared by every adapter so SQLite and PostgreSQL
 * run the very same numbered steps. `schema` pins kysely's bookkeeping table on PostgreSQL:
 * without it kysely looks for `kysely_migration` in every schema and may find another run's.
 */
export async function migrate(db: Kysely<unknown>, schema?: string): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error)
    throw error instanceof Error ? error : new Error(`migration failed: ${JSON.stringify(error)}`);
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
