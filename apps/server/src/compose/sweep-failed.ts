import { isRedisUnavailableError } from '@whatisup/queue-bullmq';
import type { Logger } from 'pino';

/**
 * The error hook of a sweeper. A sweep that failed because Redis is down is expected for the whole outage
 * (the queue already logged the outage once) and runs again at the next tick: debug, not a warning per tick.
 */
export function sweepFailed(logger: Logger, message: string): (error: unknown) => void {
  return (error) => {
    if (isRedisUnavailableError(error)) logger.debug({ err: error }, message);
    else logger.warn({ err: error }, message);
  };
}
