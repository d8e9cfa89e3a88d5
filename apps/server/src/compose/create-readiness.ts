/*
 * `/readyz` of every role: Postgres answers a query and Redis answers PING, each within a short deadline,
 * so a probe during an outage says which dependency is down instead of hanging with its connection.
 */
import { createRedisHealthCheck } from '@whatisup/queue-bullmq';
import type { CommonConfig } from '../config/common-config.js';
import type { Foundation } from './create-foundation.js';

const PROBE_TIMEOUT_MS = 1_000;

export function createReadiness(config: Pick<CommonConfig, 'redisUrl' | 'redisPrefix'>, foundation: Pick<Foundation, 'ping'>) {
  const redis = createRedisHealthCheck({ redisUrl: config.redisUrl.reveal(), prefix: config.redisPrefix, timeoutMs: PROBE_TIMEOUT_MS });
  return {
    async check(): Promise<Record<string, boolean>> {
      const [postgres, redisUp] = await Promise.all([foundation.ping(PROBE_TIMEOUT_MS), redis.check()]);
      return { postgres, redis: redisUp };
    },
    close: () => redis.close(),
  };
}
