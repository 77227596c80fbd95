// Composition root: the only place that picks a storage adapter (CONVENTIONS.md).
import { ConfigError, loadConfig } from './config/config';
import { loadSecretKey } from './config/secret-key';
import { createLogger } from './logger';
import { dataFile, startServer } from './server';
import { ColumnCipher, SecretKeyMismatchError } from './storage/column-cipher';
import { openDatabase } from './storage/open-database';
import { checkSecretKey, sealClearSecrets } from './storage/secret-columns';
import { sqlStores } from './storage/sql-stores';
import { SqlClusterStore } from './storage/sql-cluster-store';
import { openRedis } from './storage/redis/redis-stores';

async function main(): Promise<void> {
  let config, secretKey;
  try {
    config = loadConfig();
    // Before the database: a malformed key stops start-up with nothing touched.
    secretKey = loadSecretKey(config);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  if (secretKey.warning) logger.warn({ secretKeyFile: secretKey.file }, secretKey.warning);
  const { db, dialect } = await openDatabase({
    databaseUrl: config.databaseUrl,
    sqliteFile: dataFile(config, 'conclave.sqlite'),
  });
  const cipher = new ColumnCipher(secretKey.key);
  try {
    await checkSecretKey(db, cipher);
  } catch (err) {
    // The wrong key is an operator's configuration mistake: its message, no stack, exit 2.
    if (err instanceof SecretKeyMismatchError) {
      process.stderr.write(`${err.message}\n`);
      await db.destroy();
      process.exit(2);
    }
    throw err;
  }
  const sealed = await sealClearSecrets(db, cipher);
  logger.info(
    { dialect, secretKeySource: secretKey.source, secretKeyFile: secretKey.file, sealed },
    secretKey.generated
      ? `storage ready; generated the secret key ${secretKey.file} (keep it out of database backups)`
      : 'storage ready',
  );
  // Several nodes (README "Running several nodes"): Redis for shared limits and events.
  const redis = config.redisUrl
    ? await openRedis(config.redisUrl, config.cluster.redisPrefix)
    : undefined;
  const server = await startServer({
    config,
    logger,
    db,
    secretKey: secretKey.key,
    ...(redis
      ? {
          attempts: redis.attempts,
          cluster: {
            store: new SqlClusterStore(db),
            bus: redis.bus,
            loginWindows: redis.loginWindows,
          },
        }
      : {}),
    stores: sqlStores(db, cipher, {
      ...(config.legal.operatorAccountId
        ? { operatorAccountId: config.legal.operatorAccountId }
        : {}),
    }),
  });
  logger.info(
    { url: server.url, nodeId: server.cluster?.nodeId },
    `Conclave is running at ${server.url}`,
  );

  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    server
      .close()
      .then(() => redis?.close())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          logger.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(
    `Conclave failed to start: ${err instanceof Error ? err.stack : String(err)}\n`,
  );
  process.exit(1);
});
