/*
 * `/readyz` of every role: Postgres answers a query and Redis answers PING, each within a short deadline,
 * so a probe during an outage says which dependency is down instead of hanging with its connection. In
 * embedded mode there is no Redis to ask: `redis` reads `in-process`, which is ready.
 */
import type { QueueBackend } from '../embedded/create-queue-backend.js';
import type { Foundation } from './create-foundation.js';

const PROBE_TIMEOUT_MS = 1_000;

export function createReadiness(queues: Pick<QueueBackend, 'healthCheck'>, foundation: Pick<Foundation, 'ping'>) {
  const redis = queues.healthCheck({ timeoutMs: PROBE_TIMEOUT_MS });
  return {
    async check(): Promise<Record<string, boolean | 'in-process'>> {
      const [postgres, redisUp] = await Promise.all([foundation.ping(PROBE_TIMEOUT_MS), redis.check()]);
      return { postgres, redis: redisUp };
    },
    close: () => redis.close(),
  };
}
