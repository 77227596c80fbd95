// `conclave` operator CLI. Picks the storage adapter like main.ts does (DATABASE_URL or SQLite).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Kysely } from 'kysely';
import { ConfigError, loadConfig } from '../config/config';
import { loadSecretKey } from '../config/secret-key';
import { ColumnCipher } from '../storage/column-cipher';
import { migrate } from '../storage/migrator';
import { openPostgres, openPostgresUnmigrated } from '../storage/postgres/database';
import type { Database } from '../storage/schema';
import { openSqlite, openSqliteUnmigrated } from '../storage/sqlite/database';
import { clusterStatus, formatClusterStatus } from '../modules/cluster/cluster-status';
import { SqlClusterStore } from '../storage/sql-cluster-store';
import { sqlStores } from '../storage/sql-stores';
import { setAccountLocationCommand } from './account-location';
import { auditVerifyCommand } from './audit-verify';
import {
  createAccountCommand,
  resetPasswordCommand,
  resetTwoFactorCommand,
  UsageError,
} from './commands';
import { HELP } from './help';
import { legalImportCommand } from './legal-import';
import { mailShowCommand } from './mail-show';
import { rotateKeyCommand } from './rotate-key';
import { transparencyVerifyCommand } from './transparency-verify';

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  db: { type: 'string' },
  name: { type: 'string' },
  email: { type: 'string' },
  to: { type: 'string' },
  password: { type: 'string' },
  'password-stdin': { type: 'boolean' },
  'owner-name': { type: 'string' },
  plan: { type: 'string' },
  account: { type: 'string' },
  country: { type: 'string' },
  subdivision: { type: 'string' },
  version: { type: 'string' },
  format: { type: 'string' },
  'new-key-stdin': { type: 'boolean' },
} as const;

async function open(dbFile: string | undefined, migrated: boolean): Promise<Kysely<Database>> {
  const config = loadConfig();
  if (config.databaseUrl && !dbFile)
    return migrated ? openPostgres(config.databaseUrl) : openPostgresUnmigrated(config.databaseUrl);
  const file = dbFile ?? join(config.dataDir, 'conclave.sqlite');
  return migrated ? openSqlite(file) : openSqliteUnmigrated(file);
}

function readPassword(values: { password?: string; 'password-stdin'?: boolean }) {
  if (values['password-stdin']) return readFileSync(0, 'utf8').replace(/\r?\n$/, '');
  return values.password;
}

export async function run(argv: string[]): Promise<{ code: number; out: string }> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    return { code: 2, out: `${(err as Error).message}\n\n${HELP}` };
  }
  const { values, positionals } = parsed;
  // Commands are one or two words; what follows is the command's own argument (PERIOD, FILE).
  const command = positionals.slice(0, 2).join(' ');
  const operand = positionals[2];
  if (values.help || command === '' || command === 'help') return { code: 0, out: HELP };

  const known = [
    'migrate',
    'admin create-account',
    'user reset-password',
    'user reset-2fa',
    'secrets rotate-key',
    'audit verify',
    'admin set-account-location',
    'transparency verify',
    'legal import',
    'mail show',
    'cluster status',
  ];
  const takesOperand = ['transparency verify', 'legal import'];
  const extra = positionals.slice(takesOperand.includes(command) ? 3 : 2);
  if (extra.length) return { code: 2, out: `Unexpected argument: ${extra.join(' ')}\n\n${HELP}` };
  if (!known.includes(command)) return { code: 2, out: `Unknown command: ${command}\n\n${HELP}` };

  let db: Kysely<Database> | undefined;
  try {
    if (command === 'migrate') {
      db = await open(values.db, false);
      // PostgreSQL keeps kysely's bookkeeping table in the schema it migrates (see migrator.ts).
      const onPostgres = Boolean(loadConfig().databaseUrl) && !values.db;
      const ran = await migrate(db as Kysely<unknown>, onPostgres ? 'public' : undefined);
      return {
        code: 0,
        out: ran.length ? `Applied: ${ran.join(', ')}` : 'Already up to date.',
      };
    }
    if (command === 'secrets rotate-key') {
      db = await open(values.db, true);
      const newKey = values['new-key-stdin'] ? readFileSync(0, 'utf8') : undefined;
      const config = loadConfig();
      const recordings = config.recordings.dir ?? join(config.dataDir, 'recordings');
      return { code: 0, out: await rotateKeyCommand(db, config, newKey, recordings) };
    }
    if (command === 'cluster status') {
      db = await open(values.db, true);
      const config = loadConfig();
      const nodes = await clusterStatus(new SqlClusterStore(db), config.cluster.leaseMs);
      return { code: 0, out: formatClusterStatus(nodes) };
    }
    // The server's key (same config, same data dir), so users with 2FA read and write as usual.
    const cipher = new ColumnCipher(loadSecretKey(loadConfig()).key);
    db = await open(values.db, true);
    const stores = sqlStores(db, cipher);
    if (command === 'audit verify') return await auditVerifyCommand(stores.legal.audit);
    if (command === 'mail show') return { code: 0, out: await mailShowCommand(db, values.to) };
    if (command === 'legal import')
      return await legalImportCommand(stores.legal, operand, values.format, new Date());
    if (command === 'transparency verify')
      return await transparencyVerifyCommand(
        stores.transparency,
        stores.legal.audit,
        operand,
        values.version,
      );
    if (command === 'admin set-account-location')
      return {
        code: 0,
        out: await setAccountLocationCommand(db, {
          ...(values.account !== undefined ? { account: values.account } : {}),
          ...(values.country !== undefined ? { country: values.country } : {}),
          ...(values.subdivision !== undefined ? { subdivision: values.subdivision } : {}),
        }),
      };
    if (command === 'user reset-2fa')
      return {
        code: 0,
        out: await resetTwoFactorCommand(stores, {
          ...(values.email !== undefined ? { email: values.email } : {}),
        }),
      };
    const password = readPassword(values);
    const out =
      command === 'admin create-account'
        ? await createAccountCommand(stores, {
            ...(values.name !== undefined ? { name: values.name } : {}),
            ...(values.email !== undefined ? { email: values.email } : {}),
            ...(password !== undefined ? { password } : {}),
            ...(values['owner-name'] !== undefined ? { ownerName: values['owner-name'] } : {}),
            ...(values.plan !== undefined ? { plan: values.plan } : {}),
          })
        : await resetPasswordCommand(stores, {
            ...(values.email !== undefined ? { email: values.email } : {}),
            ...(password !== undefined ? { password } : {}),
          });
    return { code: 0, out };
  } catch (err) {
    if (err instanceof UsageError || err instanceof ConfigError)
      return { code: 2, out: `Error: ${err.message}` };
    return { code: 1, out: `Failed: ${err instanceof Error ? err.message : String(err)}` };
  } finally {
    await db?.destroy();
  }
}

// Run only as a program, not when imported by tests.
if (process.argv[1] && import.meta.filename === process.argv[1]) {
  run(process.argv.slice(2)).then(
    ({ code, out }) => {
      (code === 0 ? process.stdout : process.stderr).write(`${out}\n`);
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`Failed: ${String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
