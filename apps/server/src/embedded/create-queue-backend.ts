/*
 * One place that picks the technology behind the job queues, the per-host gate and the rate limiter: Redis
 * (BullMQ) when the server has a REDIS_URL, or the in-process adapters in embedded mode. The composition
 * root asks this for each queue instead of naming BullMQ, so both modes are wired the same way.
 */
import type { HostGate, JobQueue, RateLimitPolicy, RateLimiter } from '@whatisup/core';
import { createBullmqJobQueue, createRedisHostGate, createRedisRateLimiter } from '@whatisup/queue-bullmq';
import { createInProcessHostGate, createInProcessJobQueue, createInProcessRateLimiter } from '@whatisup/queue-in-process';
import type { Logger } from 'pino';

export type QueueBackendTarget = { readonly kind: 'redis'; readonly url: string; readonly prefix: string } | { readonly kind: 'in-process' };

export interface QueueBackend {
  readonly kind: QueueBackendTarget['kind'];
  /** `stalled`: how fast a job whose (Redis) worker died runs again; in-process runs die with the process. */
  jobQueue(
    name: string,
    options: { readonly stalled?: { readonly lockMs: number; readonly checkIntervalMs: number } },
  ): JobQueue;
  hostGate(options: { readonly limit: number; readonly leaseMs: number }): HostGate & { close(): Promise<void> };
  rateLimiter(policy: RateLimitPolicy): RateLimiter & { close(): Promise<void> };
}

export function createQueueBackend(target: QueueBackendTarget, logger: Logger): QueueBackend {
  if (target.kind === 'in-process') {
    return {
      kind: 'in-process',
      jobQueue: (name) =>
        createInProcessJobQueue({
          onDropped: (id) => logger.warn({ queue: name, id }, 'in-process queue full: the sweeper will wake this job again'),
        }),
      hostGate: (options) => Object.assign(createInProcessHostGate(options), { close: async () => undefined }),
      rateLimiter: (policy) => Object.assign(createInProcessRateLimiter(policy), { close: async () => undefined }),
    };
  }
  const { url: redisUrl, prefix } = target;
  return {
    kind: 'redis',
    jobQueue: (name, options) =>
      createBullmqJobQueue({
        redisUrl,
        name,
        prefix,
        onInfrastructureError: (error) => logger.warn({ err: error, queue: name }, 'Redis trouble in a job queue'),
        ...(options.stalled ? { stalled: options.stalled } : {}),
      }),
    hostGate: (options) => createRedisHostGate({ redisUrl, prefix, ...options }),
    rateLimiter: (policy) =>
      createRedisRateLimiter({
        redisUrl,
        prefix,
        ...policy,
        onConnectionError: (error) => logger.warn({ err: error }, 'rate limiter cannot reach Redis; requests pass unlimited'),
      }),
  };
}
