/*
 * The long-running entry points. `all`: the HTTP API, the WhatsApp sessions and the webhook delivery worker
 * in one process (DESIGN section 1). `worker`: only the delivery worker, against the same Postgres and
 * Redis. On SIGTERM/SIGINT: stop accepting, finish in-flight work, close everything in reverse order,
 * exit 0.
 */
import type { Logger } from 'pino';
import type { Config } from './config/load-config.js';
import { bootstrapDevelopment } from './compose/bootstrap-development.js';
import { startApplication, type Role } from './compose/start-application.js';
import { prepareDatabase } from './compose/prepare-database.js';

export async function runServer(config: Config, logger: Logger, options: { role: Role }): Promise<number> {
  await prepareDatabase(config, logger, { migrate: true });
  const app = await startApplication(config, logger, options);
  if (options.role !== 'worker') {
    await bootstrapDevelopment(config, app.foundation, logger, (text) => process.stdout.write(`${text}\n`));
  }
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'shutting down');
      app.stop().then(
        () => resolve(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          resolve(1);
        },
      );
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}
