/**
 * Start the platform: validate config, open and migrate the database, seed the
 * demo borough on an empty embedded database, serve, and shut down cleanly.
 */
import pino from 'pino';
import { ConfigError, loadConfig } from './config.ts';
import { openDatabase } from './lib/db/client.ts';
import { createServices } from './services.ts';
import { buildApp } from './app.ts';
import { seedDemoIfEmpty } from './seed/demo.ts';
import { SYSTEM_ACTOR } from './lib/audit/audit.ts';

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`Coproduce cannot start: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  const logger = pino({ level: config.logLevel });
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  await database.migrate();
  const services = createServices(database, config, logger);
  if (database.engine === 'pglite' && process.env.COPRODUCE_SEED_DEMO !== 'no') {
    const seeded = await seedDemoIfEmpty(services);
    if (seeded) logger.info('Seeded the demo borough (see README for the demo accounts)');
  }
  const app = await buildApp(config, services);
  // Checks cut off by a stop between an import and its checks are finished in the background.
  services.transparency.checkUnfinished(SYSTEM_ACTOR).then(
    (checked) => checked > 0 && logger.info({ checked }, 'finished the counter-fraud checks of imports cut off before them'),
    (err: unknown) => logger.error({ err }, 'could not finish the counter-fraud checks of earlier imports'),
  );

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000).unref();
    await app.close();
    await database.close();
    clearTimeout(force);
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ host: config.host, port: config.port });
  app.log.info(`Coproduce is running at http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port} on ${database.engine} (${database.location})`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
