import type { Logger } from 'pino';
import type { CommonConfig } from '../config/common-config.js';
import type { createStopList } from '../compose/stop-list.js';
import { createTelemetry, type Telemetry } from './create-telemetry.js';

/** The origin of the endpoint only: a collector URL may carry a token in its path or query. */
function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '[unparseable]';
  }
}

/** Starts the role's tracing (see create-telemetry.ts), says whether it is on, and stops it with the role. */
export function startTelemetry(
  config: Pick<CommonConfig, 'tracing'>,
  logger: Logger,
  stops: Pick<ReturnType<typeof createStopList>, 'push'>,
  role: string,
): Telemetry {
  const telemetry = createTelemetry(config, { role });
  stops.push('telemetry', () => telemetry.shutdown());
  const endpoint = config.tracing.tracesEndpoint;
  if (endpoint !== null) logger.info({ otlp_endpoint: originOf(endpoint), service_name: config.tracing.serviceName }, 'tracing on');
  return telemetry;
}
