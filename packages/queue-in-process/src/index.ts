export {
  createInProcessJobQueue,
  type InProcessJobCounts,
  type InProcessJobQueue,
  type InProcessJobQueueOptions,
} from './in-process-job-queue.js';
export { createInProcessHostGate, type InProcessHostGateOptions } from './in-process-host-gate.js';
export { createInProcessRateLimiter, type InProcessRateLimiterOptions } from './in-process-rate-limiter.js';
