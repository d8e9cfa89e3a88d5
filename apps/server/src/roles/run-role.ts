/*
 * Runs a long-lived role until SIGTERM/SIGINT: migrate, start, then on the signal stop accepting, finish
 * in-flight work and close everything in reverse order. Closing has a hard deadline (SHUTDOWN_TIMEOUT_MS):
 * a dependency that does not answer (Redis or Postgres down) must not keep a terminated process alive, so
 * after the deadline the process exits 1 anyway with a log line saying so.
 */
import type { Logger } from 'pino';
import type { CommonConfig } from '../config/common-config.js';
import { prepareDatabase } from '../compose/prepare-database.js';
import type { RunningRole } from './running-role.js';

/** Resolves with the exit code once the role stopped: 0 after a clean stop, 1 after a failed or late one. */
export async function runRole(config: CommonConfig, logger: Logger, start: () => Promise<RunningRole>): Promise<number> {
  await prepareDatabase(config, logger, { migrate: true });
  const role = await start();
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal, timeout_ms: config.shutdownTimeoutMs }, 'shutting down');
      const deadline = setTimeout(() => {
        logger.error(
          { timeout_ms: config.shutdownTimeoutMs, waiting_for: role.pending() },
          'shutdown did not finish within SHUTDOWN_TIMEOUT_MS; exiting anyway',
        );
        resolve(1);
      }, config.shutdownTimeoutMs);
      role.stop().then(
        () => {
          clearTimeout(deadline);
          logger.info('stopped');
          resolve(0);
        },
        (error: unknown) => {
          clearTimeout(deadline);
          logger.error({ err: error }, 'shutdown failed');
          resolve(1);
        },
      );
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}
