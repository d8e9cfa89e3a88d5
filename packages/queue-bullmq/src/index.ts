export { createBullmqJobQueue, type BullmqJobQueue, type BullmqJobQueueOptions, type JobCounts } from './bullmq-job-queue.js';
export { createRedisHostGate, type RedisHostGate, type RedisHostGateOptions } from './redis-host-gate.js';
export { createRedisRateLimiter, type RedisRateLimiter, type RedisRateLimiterOptions } from './redis-rate-limiter.js';
export { createRedisHealthCheck, type RedisHealthCheck, type RedisHealthCheckOptions } from './redis-health-check.js';
export { RedisUnavailableError, isRedisUnavailableError } from './redis-unavailable-error.js';
export { createRedisEventFeed, type RedisEventFeed, type RedisEventFeedOptions } from './redis-event-feed.js';
