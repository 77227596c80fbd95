import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { loadSecretKey } from '../config/secret-key';
import { ColumnCipher } from '../storage/column-cipher';
import { openPostgres, openPostgresUnmigrated } from '../storage/postgres/database';
import type { Database } from '../storage/schema';
import { openSqlite } from '../storage/sqlite/database';

// For the CLI tests: one database per run that both the test process and `conclave` child
// processes open, on SQLite or PostgreSQL, so every CLI story runs on both adapters.

/** Where the PostgreSQL runs go; unset, they are skipped with a warning. */
export const TEST_POSTGRES_URL = process.env.CONCLAVE_TEST_POSTGRES_URL;

export function warnIfPostgresSkipped(suite: string): void {
  if (!TEST_POSTGRES_URL)
    console.warn(
      `${suite}: PostgreSQL SKIPPED (set CONCLAVE_TEST_POSTGRES_URL, e.g. postgres://postgres@127.0.0.1:5432/test)`,
    );
}

export interface CliTestDatabase {
  dialect: 'SQLite' | 'PostgreSQL';
  /** PostgreSQL: the database's own URL (cluster tests hand it to node processes). */
  databaseUrl?: string;
  /** Opens the database in this process, migrated (destroy it when done). */
  open(): Promise<Kysely<Database>>;
  /** Runs `conclave ...args` against this database in a child process. */
  conclave(args: string[]): Promise<{ code: number; out: string }>;
  /** A folder for input files, removed by `drop`; also the CLI's data dir. */
  dir: string;
  /** The cipher of the key the CLI uses (`<dir>/secret.key`), for stores opened in the test. */
  cipher: ColumnCipher;
  drop(): Promise<void>;
}

const main = new URL('./main.ts', import.meta.url).pathname;

function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', main, ...args],
      { env, timeout: 30_000 },
      (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr });
      },
    );
  });
}

/** A SQLite file in a temp folder, passed to the CLI with `--db`. */
export function sqliteTestDatabase(prefix: string): CliTestDatabase {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const file = join(dir, 'conclave.sqlite');
  return {
    dialect: 'SQLite',
    dir,
    cipher: new ColumnCipher(loadSecretKey({ dataDir: dir }).key),
    open: () => openSqlite(file),
    conclave: (args) => {
      const env: NodeJS.ProcessEnv = { ...process.env, CONCLAVE_DATA_DIR: dir };
      delete env.DATABASE_URL;
      return runCli([...args, '--db', file], env);
    },
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * A PostgreSQL database of its own on the server of `url`, created now and dropped by `drop`, so
 * parallel runs never collide. A database rather than a schema: the CLI, like the server, opens
 * DATABASE_URL in the `public` schema and has no option to pick another.
 */
export async function postgresTestDatabase(url: string, prefix: string): Promise<CliTestDatabase> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const name = `conclave_test_${randomBytes(6).toString('hex')}`;
  const dbUrl = new URL(url);
  dbUrl.pathname = `/${name}`;
  const admin = openPostgresUnmigrated(url, { maxConnections: 1 });
  try {
    await sql`create database ${sql.id(name)}`.execute(admin);
  } finally {
    await admin.destroy();
  }
  return {
    dialect: 'PostgreSQL',
    databaseUrl: dbUrl.href,
    dir,
    cipher: new ColumnCipher(loadSecretKey({ dataDir: dir }).key),
    open: () => openPostgres(dbUrl.href, { maxConnections: 2 }),
    conclave: (args) =>
      runCli(args, { ...process.env, CONCLAVE_DATA_DIR: dir, DATABASE_URL: dbUrl.href }),
    drop: async () => {
      rmSync(dir, { recursive: true, force: true });
      const a = openPostgresUnmigrated(url, { maxConnections: 1 });
      try {
        await sql`drop database if exists ${sql.id(name)} with (force)`.execute(a);
      } finally {
        await a.destroy();
      }
    },
  };
}
