import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Database } from '../schema';
import { migrate } from '../migrator';

export interface PostgresOptions {
  /**
   * The schema Conclave's tables live in (default `public`). Tests give each run its own schema so
   * parallel runs on one server never see each other's rows.
   */
  schema?: string;
  maxConnections?: number;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Opens a pool on a `postgres://` URL and brings the schema to the newest migration. */
export async function openPostgres(
  url: string,
  opts: PostgresOptions = {},
): Promise<Kysely<Database>> {
  const db = openPostgresUnmigrated(url, opts);
  try {
    await ensureSchema(db, opts.schema ?? 'public');
    await migrate(db as Kysely<unknown>, opts.schema ?? 'public');
  } catch (err) {
    await db.destroy();
    throw err;
  }
  return db;
}

/** Opens without migrating (for `conclave migrate`); creates the schema when it is missing. */
export function openPostgresUnmigrated(url: string, opts: PostgresOptions = {}): Kysely<Database> {
  const schema = opts.schema ?? 'public';
  // The name goes into `search_path`, so it must be a plain identifier; never user input anyway.
  if (!SCHEMA_NAME.test(schema)) throw new TypeError(`invalid PostgreSQL schema name: ${schema}`);
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.maxConnections ?? 10,
    options: `-c search_path=${schema}`,
  });
  // Without a listener an idle-client error (server restart) would crash the process.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return db;
}

export async function ensureSchema(db: Kysely<Database>, schema: string): Promise<void> {
  if (!SCHEMA_NAME.test(schema)) throw new TypeError(`invalid PostgreSQL schema name: ${schema}`);
  await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
}

export async function dropSchema(db: Kysely<Database>, schema: string): Promise<void> {
  if (!SCHEMA_NAME.test(schema)) throw new TypeError(`invalid PostgreSQL schema name: ${schema}`);
  await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(db);
}

export function isPostgresUrl(url: string | undefined): url is string {
  return Boolean(url && /^postgres(ql)?:\/\//.test(url));
}
