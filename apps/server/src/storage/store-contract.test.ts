import { randomBytes } from 'node:crypto';
import { describe } from 'vitest';
import { dropSchema, openPostgres, openPostgresUnmigrated } from './postgres/database';
import { openSqlite } from './sqlite/database';
import { storeContract } from './store-contract';

describe('storage contract: SQLite', () => {
  storeContract({ open: () => openSqlite(':memory:'), close: (db) => db.destroy() });
});

const pgUrl = process.env.CONCLAVE_TEST_POSTGRES_URL;
if (!pgUrl)
  console.warn(
    'storage contract: PostgreSQL SKIPPED (set CONCLAVE_TEST_POSTGRES_URL, e.g. postgres://postgres@127.0.0.1:5432/test)',
  );

(pgUrl ? describe : describe.skip)('storage contract: PostgreSQL', () => {
  // Each run gets its own schema, dropped afterwards, so parallel runs never collide.
  const schema = `conclave_test_${randomBytes(6).toString('hex')}`;
  storeContract({
    open: () => openPostgres(pgUrl!, { schema, maxConnections: 4 }),
    close: async (db) => {
      await db.destroy();
      const admin = openPostgresUnmigrated(pgUrl!);
      await dropSchema(admin, schema);
      await admin.destroy();
    },
  });
});
