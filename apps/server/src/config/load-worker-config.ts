/*
 * The worker role's configuration (`whatisup worker`): the common part plus its health/metrics port. No
 * API_KEY_PEPPER: a worker authenticates nobody, so its host never needs the pepper.
 */
import { commonConfig, type CommonConfig } from './common-config.js';
import { workerEnvSchema } from './env-schema.js';
import { parseEnv } from './parse-env.js';
import { Secret } from './secret.js';

export interface WorkerConfig extends CommonConfig {
  /** A worker shares the job queue with the API processes: always a Redis URL. */
  readonly redisUrl: Secret;
  /** The port of `/healthz`, `/readyz` and `/metrics` (WORKER_PORT, default 3001; 0 picks a free one). */
  readonly workerPort: number;
}

/** Parses the environment once. Throws ConfigError naming every bad or missing variable. */
export function loadWorkerConfig(env: Readonly<Record<string, string | undefined>>): WorkerConfig {
  const e = parseEnv(workerEnvSchema, env);
  return { ...commonConfig(e), redisUrl: new Secret(e.REDIS_URL), workerPort: e.WORKER_PORT };
}
