import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from '../schema';
import { migrate as migrateAny } from '../migrator';

/** Opens (and creates) the SQLite file and brings its schema to the newest migration. */
export async function openSqlite(file: string): Promise<Kysely<Database>> {
  const db = openSqliteUnmigrated(file);
  await migrate(db);
  return db;
}

/** Opens without migrating, for `conclave migrate` which reports what it applied. */
export function openSqliteUnmigrated(file: string): Kysely<Database> {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
}

export function migrate(db: Kysely<Database>): Promise<string[]> {
  return migrateAny(db as Kysely<unknown>);
}
