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
