/*
 * Decides, before the configuration is parsed, where Postgres and the Redis-backed parts come from
 * (docs/decisions/0014-embedded-default.md):
 *   - DATABASE_URL=embedded / REDIS_URL=in-process force the embedded parts;
 *   - unset outside production: the development server when something answers on its default port, else
 *     the embedded part;
 *   - a URL: that server;
 *   - production: the keywords are refused and nothing is probed (loadConfig then requires real URLs).
 */
import { DEV_DATABASE_URL, DEV_REDIS_URL } from '../config/dev-defaults.js';
import { EMBEDDED_DATABASE, IN_PROCESS_QUEUE } from '../config/embedded-keywords.js';
import { ConfigError } from '../config/load-config.js';

export { EMBEDDED_DATABASE, IN_PROCESS_QUEUE };

export type EmbeddedReason = 'forced' | 'nothing-answering';

export interface InfrastructurePlan {
  /** `url`: use that server (the given URL or the development default); undefined: left to the configuration. */
  readonly postgres:
    | { readonly kind: 'server'; readonly url: string | undefined }
    | { readonly kind: 'embedded'; readonly reason: EmbeddedReason };
  readonly queue:
    | { readonly kind: 'redis'; readonly url: string | undefined }
    | { readonly kind: 'in-process'; readonly reason: EmbeddedReason };
}

type Env = Readonly<Record<string, string | undefined>>;
export type PortProbe = (host: string, port: number) => Promise<boolean>;

export async function planInfrastructure(env: Env, probe: PortProbe): Promise<InfrastructurePlan> {
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  const redisUrl = env.REDIS_URL?.trim() || undefined;
  if ((env.NODE_ENV ?? 'development') === 'production') {
    const problems = [
      databaseUrl === EMBEDDED_DATABASE && `DATABASE_URL=${EMBEDDED_DATABASE} is for development and tests; production needs a PostgreSQL URL`,
      redisUrl === IN_PROCESS_QUEUE && `REDIS_URL=${IN_PROCESS_QUEUE} is for development and tests; production needs a Redis URL`,
    ].filter((problem): problem is string => typeof problem === 'string');
    if (problems.length > 0) throw new ConfigError(problems);
    return { postgres: { kind: 'server', url: databaseUrl }, queue: { kind: 'redis', url: redisUrl } };
  }
  const [postgres, queue] = await Promise.all([
    planPostgres(databaseUrl, probe),
    planQueue(redisUrl, probe),
  ]);
  return { postgres, queue };
}

async function planPostgres(given: string | undefined, probe: PortProbe): Promise<InfrastructurePlan['postgres']> {
  if (given === EMBEDDED_DATABASE) return { kind: 'embedded', reason: 'forced' };
  if (given !== undefined) return { kind: 'server', url: given };
  const { hostname, port } = new URL(DEV_DATABASE_URL);
  return (await probe(hostname, Number(port)))
    ? { kind: 'server', url: DEV_DATABASE_URL }
    : { kind: 'embedded', reason: 'nothing-answering' };
}

async function planQueue(given: string | undefined, probe: PortProbe): Promise<InfrastructurePlan['queue']> {
  if (given === IN_PROCESS_QUEUE) return { kind: 'in-process', reason: 'forced' };
  if (given !== undefined) return { kind: 'redis', url: given };
  const { hostname, port } = new URL(DEV_REDIS_URL);
  return (await probe(hostname, Number(port)))
    ? { kind: 'redis', url: DEV_REDIS_URL }
    : { kind: 'in-process', reason: 'nothing-answering' };
}
