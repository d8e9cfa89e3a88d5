/*
 * One place that picks the technology behind the job queues, the per-host gate, the rate limiter and the
 * queue's readiness check: Redis (BullMQ) when the server has a REDIS_URL, or the in-process adapters in
 * embedded mode. The compositions ask this for each part instead of naming BullMQ, so both modes are wired
 * the same way.
 */
import { createInProcessEventFeed, type EventBus, type EventFeed, type HostGate, type JobQueue, type RateLimitPolicy, type RateLimiter } from '@whatisup/core';
import {
  createBullmqJobQueue,
  createRedisEventFeed,
  createRedisHealthCheck,
  createRedisHostGate,
  createRedisRateLimiter,
} from '@whatisup/queue-bullmq';
import { createInProcessHostGate, createInProcessJobQueue, createInProcessRateLimiter } from '@whatisup/queue-in-process';
import type { Logger } from 'pino';
import type { CommonConfig } from '../config/common-config.js';

export type QueueBackendTarget = { readonly kind: 'redis'; readonly url: string; readonly prefix: string } | { readonly kind: 'in-process' };

/** The target a configuration names: its Redis, or in-process when REDIS_URL=in-process. */
export function queueBackendTarget(config: Pick<CommonConfig, 'redisUrl' | 'redisPrefix'>): QueueBackendTarget {
  return config.redisUrl === null ? { kind: 'in-process' } : { kind: 'redis', url: config.redisUrl.reveal(), prefix: config.redisPrefix };
}

/** What a Redis outage means for a part, for its log lines (e.g. "deliveries wait in Postgres"). */
export interface OutageWording {
  /** Logged (warn) when the part loses Redis. */
  readonly trouble: string;
  /** Logged (info) when it reaches Redis again; absent: nothing is logged. */
  readonly recovered?: string;
  /** Called on each Redis error the part reports (metrics count them); never called in-process. */
  readonly onError?: () => void;
}

/** Jobs in a queue by state, for metrics. */
export interface QueueJobCounts {
  readonly waiting: number;
  readonly delayed: number;
  readonly active: number;
}

/**
 * A job queue from the backend. `jobCounts` is optional in the type so a backend without a way to count may
 * leave it out (the metrics then skip that queue's gauge); both current backends provide it.
 */
export type BackendJobQueue = JobQueue & { jobCounts?(): Promise<QueueJobCounts> };

export interface QueueHealthCheck {
  /** True when Redis answers PING in time, `in-process` when there is no Redis to ask; never throws. */
  check(): Promise<boolean | 'in-process'>;
  close(): Promise<void>;
}

export interface QueueBackend {
  readonly kind: QueueBackendTarget['kind'];
  /** `stalled`: how fast a job whose (Redis) worker died runs again; in-process runs die with the process. */
  jobQueue(
    name: string,
    options: { readonly stalled?: { readonly lockMs: number; readonly checkIntervalMs: number }; readonly outage?: OutageWording },
  ): BackendJobQueue;
  hostGate(options: { readonly limit: number; readonly leaseMs: number; readonly outage?: OutageWording }): HostGate & {
    close(): Promise<void>;
  };
  rateLimiter(policy: RateLimitPolicy & { readonly outage?: OutageWording }): RateLimiter & { close(): Promise<void> };
  healthCheck(options: { readonly timeoutMs: number }): QueueHealthCheck;
  /**
   * What event streams read: the events `bus` carries (this process's) and, on Redis, those of every other
   * process sharing it, with a resume window per customer (in Redis, or in this process's memory).
   */
  eventFeed(options: { readonly bus: Pick<EventBus, 'subscribe'>; readonly outage?: OutageWording }): EventFeed & { close(): Promise<void> };
}

export function createQueueBackend(target: QueueBackendTarget, logger: Logger): QueueBackend {
  if (target.kind === 'in-process') {
    return {
      kind: 'in-process',
      jobQueue: (name) =>
        createInProcessJobQueue({
          onDropped: (id) => logger.warn({ queue: name, id }, 'in-process queue full: the sweeper will wake this job again'),
        }),
      hostGate: ({ limit, leaseMs }) => Object.assign(createInProcessHostGate({ limit, leaseMs }), { close: async () => undefined }),
      rateLimiter: ({ capacity, refillPerSecond }) =>
        Object.assign(createInProcessRateLimiter({ capacity, refillPerSecond }), { close: async () => undefined }),
      healthCheck: () => ({ check: async () => 'in-process' as const, close: async () => undefined }),
      eventFeed: ({ bus }) => {
        const feed = createInProcessEventFeed(bus);
        return { open: feed.open, close: async () => feed.close() };
      },
    };
  }
  const { url: redisUrl, prefix } = target;
  const recovered = (outage: OutageWording | undefined) => {
    const message = outage?.recovered;
    return message === undefined ? {} : { onRecovered: () => logger.info(message) };
  };
  return {
    kind: 'redis',
    jobQueue: (name, options) =>
      createBullmqJobQueue({
        redisUrl,
        name,
        prefix,
        onInfrastructureError: (error) => {
          options.outage?.onError?.();
          logger.warn({ err: error, queue: name }, options.outage?.trouble ?? `Redis trouble in the ${name} queue`);
        },
        ...recovered(options.outage),
        ...(options.stalled ? { stalled: options.stalled } : {}),
      }),
    hostGate: ({ limit, leaseMs, outage }) =>
      createRedisHostGate({
        redisUrl,
        prefix,
        limit,
        leaseMs,
        onConnectionError: (error) => {
          outage?.onError?.();
          logger.warn({ err: error }, outage?.trouble ?? 'the per-host gate cannot reach Redis');
        },
      }),
    rateLimiter: ({ capacity, refillPerSecond, outage }) =>
      createRedisRateLimiter({
        redisUrl,
        prefix,
        capacity,
        refillPerSecond,
        onConnectionError: (error) => {
          outage?.onError?.();
          logger.warn({ err: error }, outage?.trouble ?? 'rate limiter cannot reach Redis; requests pass unlimited');
        },
        ...recovered(outage),
      }),
    healthCheck: ({ timeoutMs }) => createRedisHealthCheck({ redisUrl, prefix, timeoutMs }),
    eventFeed: ({ bus, outage }) => {
      const feed = createRedisEventFeed({
        redisUrl,
        prefix,
        onError: (error) => {
          outage?.onError?.();
          logger.warn({ err: error }, outage?.trouble ?? 'the event feed cannot reach Redis');
        },
        ...recovered(outage),
      });
      // Every event this process records goes to Redis, and reaches the streams of every process from there.
      const unsubscribe = bus.subscribe((event) => feed.publish(event));
      return {
        open: feed.open,
        close: async () => {
          unsubscribe();
          await feed.close();
        },
      };
    },
  };
}
