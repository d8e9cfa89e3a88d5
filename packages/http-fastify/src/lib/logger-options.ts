import type { FastifyBaseLogger, FastifyServerOptions } from 'fastify';
import type { HttpLoggerOptions } from '../http-app-deps.js';
import { REDACT_PATHS, REDACTED, logSerializers } from './logging.js';

const isLogger = (value: object): value is FastifyBaseLogger =>
  typeof (value as { child?: unknown }).child === 'function' && typeof (value as { info?: unknown }).info === 'function';

/** Fastify's logger options for what the caller gave, always with our serializer and redaction. */
export function loggerOptions(
  logger: FastifyBaseLogger | HttpLoggerOptions | false | undefined,
): Pick<FastifyServerOptions, 'logger' | 'loggerInstance'> {
  const redact = { paths: REDACT_PATHS, censor: REDACTED };
  if (logger === false) return { logger: false };
  if (logger !== undefined && isLogger(logger)) {
    return { loggerInstance: logger.child({}, { serializers: logSerializers, redact }) };
  }
  return {
    logger: {
      level: logger?.level ?? 'info',
      serializers: logSerializers,
      redact,
      ...(logger?.stream === undefined ? {} : { stream: logger.stream }),
    },
  };
}
