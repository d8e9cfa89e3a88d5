export { createBullmqJobQueue, type BullmqJobQueueOptions } from './bullmq-job-queue.js';
export { createRedisHostGate, type RedisHostGate, type RedisHostGateOptions } from './redis-host-gate.js';
export { createRedisRateLimiter, type RedisRateLimiter, type RedisRateLimiterOptions } from './redis-rate-limiter.js';
