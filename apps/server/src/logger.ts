import { pino, type Logger } from 'pino';
import type { Config } from './config/load-config.js';

/**
 * Paths pino blanks in every log line. Secrets also never reach a log by construction (config values are
 * `Secret`s, keys are hashed on arrival); this is the second belt for headers and query strings.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'headers.authorization',
  'authorization',
  'apiKey',
  'key',
  'secret',
  'signing_secret',
  'signingSecret',
  'token',
  'password',
  '*.authorization',
  '*.secret',
  '*.signing_secret',
  '*.token',
  '*.key',
];

export function createLogger(config: Pick<Config, 'logLevel'>, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level: config.logLevel,
      base: { service: 'whatisup' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination as never,
  );
}
