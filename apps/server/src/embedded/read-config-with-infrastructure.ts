/*
 * The configuration of a process that may run embedded (`pnpm start`, `whatisup serve`, the CLI's data
 * commands): plan where Postgres and the queue come from, check the whole configuration with the plan
 * applied (a bad variable fails before anything starts), start the embedded parts, and read the
 * configuration again with the embedded server's URL, which is known only once it runs.
 */
import type { Logger } from 'pino';
import { ConfigError, type Config } from '../config/load-config.js';
import { readConfig } from '../config/read-config.js';
import { EMBEDDED_DATABASE, IN_PROCESS_QUEUE, planInfrastructure, type InfrastructurePlan, type PortProbe } from './plan-infrastructure.js';
import { probeTcpPort } from './probe-tcp-port.js';
import type { EmbeddedInfrastructure } from './start-embedded-infrastructure.js';

type Env = Readonly<Record<string, string | undefined>>;

/** Stands in for the embedded server's URL while the rest of the configuration is checked. */
const PENDING_EMBEDDED_URL = 'postgres://embedded.invalid/whatisup';

export interface ConfigWithInfrastructure {
  readonly config: Config;
  readonly generated: string[];
  readonly defaulted: string[];
  readonly logger: Logger;
  /** What was embedded; `stop()` is idempotent and stops the embedded Postgres (call it last). */
  readonly embedded: EmbeddedInfrastructure;
}

export async function readConfigWithInfrastructure(
  env: Env,
  options: {
    readonly createLogger: (config: Config) => Logger;
    readonly probe?: PortProbe;
    /** Set for `serve --no-worker`: another process delivers, so nothing may be embedded (as for a worker). */
    readonly refuseEmbeddedAs?: string;
  },
): Promise<ConfigWithInfrastructure> {
  const plan = await planInfrastructure(env, options.probe ?? ((host, port) => probeTcpPort(host, port)));
  if (options.refuseEmbeddedAs !== undefined) refuseEmbedded(plan, options.refuseEmbeddedAs);
  const checked = readConfig(withPlan(env, plan, PENDING_EMBEDDED_URL));
  const logger = options.createLogger(checked.config);
  if (plan.postgres.kind !== 'embedded' && plan.queue.kind !== 'in-process') {
    return { ...checked, logger, embedded: { databaseUrl: undefined, inProcessQueue: false, stop: async () => undefined } };
  }
  // Loaded only when something is embedded: the CLI's common path stays light.
  const { startEmbeddedInfrastructure } = await import('./start-embedded-infrastructure.js');
  const embedded = await startEmbeddedInfrastructure(plan, { dataDir: checked.config.dataDir, logger, role: 'all' });
  if (embedded.databaseUrl === undefined) return { ...checked, logger, embedded };
  try {
    const { config } = readConfig(withPlan(env, plan, embedded.databaseUrl));
    return { config, generated: checked.generated, defaulted: checked.defaulted, logger, embedded };
  } catch (error) {
    await embedded.stop();
    throw error;
  }
}

/**
 * Where a worker-only process may not embed: it shares the queue and the database with API processes it
 * cannot reach inside itself. Throws ConfigError naming the variable to set; returns the planned URLs.
 */
export async function refuseEmbeddedForWorker(env: Env, probe: PortProbe = (host, port) => probeTcpPort(host, port)): Promise<Env> {
  const plan = await planInfrastructure(env, probe);
  refuseEmbedded(plan, '`whatisup worker`');
  return withPlan(env, plan, PENDING_EMBEDDED_URL);
}

/** Throws ConfigError naming each variable to set when `plan` embeds anything `who` cannot share. */
function refuseEmbedded(plan: InfrastructurePlan, who: string): void {
  const problems: string[] = [];
  if (plan.postgres.kind === 'embedded') {
    problems.push(
      plan.postgres.reason === 'forced'
        ? `DATABASE_URL=${EMBEDDED_DATABASE} cannot serve ${who}: set DATABASE_URL to the PostgreSQL server all processes share`
        : `DATABASE_URL is unset and nothing answers on 127.0.0.1:5432: ${who} needs the PostgreSQL server all processes share`,
    );
  }
  if (plan.queue.kind === 'in-process') {
    problems.push(
      plan.queue.reason === 'forced'
        ? `REDIS_URL=${IN_PROCESS_QUEUE} cannot serve ${who}: set REDIS_URL to the Redis all processes share`
        : `REDIS_URL is unset and nothing answers on 127.0.0.1:6379: ${who} needs the Redis all processes share`,
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);
}

/** The environment with the plan's choices written in, so the configuration reads what will be used. */
function withPlan(env: Env, plan: InfrastructurePlan, embeddedDatabaseUrl: string): Env {
  const out: Record<string, string | undefined> = { ...env };
  if (plan.postgres.kind === 'embedded') {
    // The embedded cluster has one superuser, who also owns the schema.
    out.DATABASE_URL = embeddedDatabaseUrl;
    out.MIGRATION_DATABASE_URL = embeddedDatabaseUrl;
  } else if (plan.postgres.url !== undefined) {
    out.DATABASE_URL = plan.postgres.url;
  }
  if (plan.queue.kind === 'in-process') out.REDIS_URL = IN_PROCESS_QUEUE;
  else if (plan.queue.url !== undefined) out.REDIS_URL = plan.queue.url;
  return out;
}
