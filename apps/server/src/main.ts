// Composition root: the only place that picks a storage adapter (CONVENTIONS.md).
import { ConfigError, loadConfig } from './config/config';
import { createLogger } from './logger';
import { dataFile, startServer } from './server';
import { openDatabase } from './storage/open-database';
import { sqlStores } from './storage/sql-stores';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  const { db, dialect } = await openDatabase({
    databaseUrl: config.databaseUrl,
    sqliteFile: dataFile(config, 'conclave.sqlite'),
  });
  logger.info({ dialect }, 'storage ready');
  const server = await startServer({
    config,
    logger,
    db,
    stores: sqlStores(db, {
      ...(config.legal.operatorAccountId
        ? { operatorAccountId: config.legal.operatorAccountId }
        : {}),
    }),
  });
  logger.info({ url: server.url }, `Conclave is running at ${server.url}`);

  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    server.close().then(
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
