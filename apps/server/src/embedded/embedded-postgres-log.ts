/*
 * How the server logs what its embedded PostgreSQL says. Progress is debug; warnings and errors are warn,
 * except the refusals of our own readiness probe while the server starts ("the database system is starting
 * up"): they come at every start, mean nothing, and a FATAL line per probe would alarm whoever reads the first
 * screen of `pnpm start`.
 */
import type { Logger } from 'pino';

const OWN_PROBE_WHILE_STARTING = /FATAL:\s+the database system is starting up/;

export function embeddedPostgresLogger(logger: Logger): { info(message: string): void; warn(message: string): void } {
  return {
    info: (message) => logger.debug(message),
    warn: (message) => (OWN_PROBE_WHILE_STARTING.test(message) ? logger.debug(message) : logger.warn(message)),
  };
}
