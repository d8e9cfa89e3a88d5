/*
 * Starts what the plan embeds and says so in one loud line. Only the all-in-one process may run embedded:
 * the in-process queue is not shared between processes, and the embedded Postgres belongs to the process
 * that started it. The embedded server's URL (it holds a password) goes into the configuration, never into
 * a log line.
 */
import path from 'node:path';
import { startEmbeddedPostgres } from '@whatisup/postgres-embedded';
import type { Logger } from 'pino';
import { embeddedPostgresLogger } from './embedded-postgres-log.js';
import type { InfrastructurePlan } from './plan-infrastructure.js';

/** The database the server uses on the embedded cluster (created by prepareDatabase outside production). */
const EMBEDDED_DATABASE_NAME = 'whatisup';

export interface EmbeddedInfrastructure {
  /** The embedded Postgres URL for DATABASE_URL, or undefined when Postgres is not embedded. */
  readonly databaseUrl: string | undefined;
  /** True when the queue, host gate and rate limiter run in this process instead of on Redis. */
  readonly inProcessQueue: boolean;
  /** Stops the embedded Postgres; call it last, after everything using the database is closed. */
  stop(): Promise<void>;
}

export async function startEmbeddedInfrastructure(
  plan: InfrastructurePlan,
  options: { readonly dataDir: string; readonly logger: Logger; readonly role: 'all' | 'worker' },
): Promise<EmbeddedInfrastructure> {
  const embedsPostgres = plan.postgres.kind === 'embedded';
  const inProcessQueue = plan.queue.kind === 'in-process';
  if (!embedsPostgres && !inProcessQueue) return { databaseUrl: undefined, inProcessQueue, stop: async () => undefined };
  if (options.role !== 'all') {
    throw new Error(
      'A worker-only process cannot run embedded: set DATABASE_URL and REDIS_URL to the servers the API process uses.',
    );
  }
  const parts: string[] = [];
  let databaseUrl: string | undefined;
  let stop = async (): Promise<void> => undefined;
  if (plan.postgres.kind === 'embedded') {
    const dataDir = path.join(options.dataDir, 'postgres');
    const startedAt = Date.now();
    const embedded = await startEmbeddedPostgres({
      dataDir,
      logger: embeddedPostgresLogger(options.logger.child({ component: 'embedded-postgres' })),
    });
    const url = new URL(embedded.url);
    url.pathname = `/${EMBEDDED_DATABASE_NAME}`;
    databaseUrl = url.toString();
    stop = () => embedded.stop();
    parts.push(
      `PostgreSQL on 127.0.0.1:${embedded.port} with its data in ${dataDir} ` +
        `(${plan.postgres.reason === 'forced' ? 'DATABASE_URL=embedded' : 'nothing answered on 127.0.0.1:5432'}; ` +
        `started in ${Date.now() - startedAt} ms)`,
    );
  }
  if (plan.queue.kind === 'in-process') {
    parts.push(
      `job queue, host gate and rate limiter in this process ` +
        `(${plan.queue.reason === 'forced' ? 'REDIS_URL=in-process' : 'nothing answered on 127.0.0.1:6379'})`,
    );
  }
  options.logger.warn(
    { embedded: { postgres: embedsPostgres, queue: inProcessQueue } },
    `EMBEDDED MODE: ${parts.join('; ')}. For development and tests only: production refuses it.`,
  );
  return { databaseUrl, inProcessQueue, stop };
}
