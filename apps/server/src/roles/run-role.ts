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
  // Listen before starting: a signal during migrations or start-up (e.g. right after `listening`, while the
  // first development key is created) must stop what was started, not kill the process and orphan an
  // embedded Postgres. The role stops as soon as it has started.
  let signalled: string | null = null;
  let onSignal = (signal: string) => {
    signalled ??= signal;
  };
  const sigterm = () => onSignal('SIGTERM');
  const sigint = () => onSignal('SIGINT');
  process.on('SIGTERM', sigterm);
  process.on('SIGINT', sigint);
  try {
    await prepareDatabase(config, logger, { migrate: true });
    const role = await start();
    return await new Promise<number>((resolve) => {
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        // As before start-up was covered: a second signal ends the process at once.
        process.off('SIGTERM', sigterm);
        process.off('SIGINT', sigint);
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
      onSignal = stop;
      if (signalled !== null) stop(signalled);
    });
  } finally {
    process.off('SIGTERM', sigterm);
    process.off('SIGINT', sigint);
  }
}
