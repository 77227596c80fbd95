import type { Kysely } from 'kysely';
import type { Database } from './schema';
import { openPostgres } from './postgres/database';
import { openSqlite } from './sqlite/database';

export interface DatabaseChoice {
  /** `postgres://...` picks PostgreSQL. */
  databaseUrl?: string | undefined;
  /** The SQLite file used otherwise (zero setup). */
  sqliteFile: string;
}

/** Opens and migrates the database main.ts and the CLI were told to use. */
export async function openDatabase(
  choice: DatabaseChoice,
): Promise<{ db: Kysely<Database>; dialect: 'sqlite' | 'postgres' }> {
  if (choice.databaseUrl)
    return { db: await openPostgres(choice.databaseUrl), dialect: 'postgres' };
  return { db: await openSqlite(choice.sqliteFile), dialect: 'sqlite' };
}
