import { createRequire } from 'node:module';
import { pino, type DestinationStream, type Logger } from 'pino';
import type { Config } from './config/load-config.js';
import { logContextFields } from './log-context.js';

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

/**
 * Whether to print logs for a person rather than a collector: only in a terminal and never in production,
 * where one JSON object per line is what log shippers expect (and a redirect to a file keeps JSON too).
 */
export function wantsPrettyLogs(nodeEnv: Config['nodeEnv'], stdout: { readonly isTTY?: boolean }): boolean {
  return stdout.isTTY === true && nodeEnv !== 'production';
}

// The HTTP request line already says method, URL, status and duration in its message.
const PRETTY_IGNORE = 'pid,hostname,service,method,url,status,duration_ms';

/** pino-pretty as a synchronous stream (no worker thread), loaded only when wanted. */
function prettyStream(destination: NodeJS.WritableStream | undefined): DestinationStream {
  const require = createRequire(import.meta.url);
  const pretty = require('pino-pretty') as (options: Record<string, unknown>) => DestinationStream;
  return pretty({
    colorize: destination === undefined,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: PRETTY_IGNORE,
    singleLine: true,
    ...(destination === undefined ? {} : { destination }),
  });
}

/** JSON lines by default; `pretty: true` (see wantsPrettyLogs) prints one readable line per entry. */
export function createLogger(
  config: Pick<Config, 'logLevel'>,
  destination?: NodeJS.WritableStream,
  options: { readonly pretty?: boolean } = {},
): Logger {
  const stream = options.pretty === true ? prettyStream(destination) : destination;
  return pino(
    {
      level: config.logLevel,
      base: { service: 'whatisup' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      // The ids of the job or socket event being handled (log-context.ts).
      mixin: logContextFields,
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    stream as never,
  );
}
