/*
 * What every feature builds on: ids, errors, clock, pagination, actors, and the audit-log, unit-of-work,
 * job-queue, rate-limiter, leader-lock, outbound-HTTP and tracing ports.
 */
export { actorOf, type Actor, type Principal } from './actor.js';
export type { LeaderLock, LeaderRun } from './leader-lock.js';
export type { AuditEvent, NewAuditEvent } from './audit-event.js';
export type { AuditLog } from './audit-log.js';
export { systemClock, type Clock } from './clock.js';
export { DOMAIN_ERROR_CODES, DomainError, isDomainError, notFound, type DomainErrorCode } from './errors.js';
export { ID_PREFIXES, newId, idTimePrefix, isId, type IdKind, type IdPrefix } from './ids.js';
export {
  DEFAULT_JOB_RETRY_POLICY,
  jobRetryDelayMs,
  type JobRequest,
  type Job,
  type JobOutcome,
  type JobHandler,
  type JobWorkerOptions,
  type JobWorker,
  type JobQueue,
  type JobRetryPolicy,
} from './job-queue.js';
export { CLI_ACTOR, assertOperator } from './operator-actor.js';
export type {
  UnsafeUrlReason,
  ForbiddenAddressRange,
  CheckedUrl,
  OutboundMethod,
  OutboundRequest,
  OutboundResponse,
  OutboundFailure,
  OutboundResult,
  OutboundDownloadRequest,
  OutboundDownload,
  OutboundDownloadFailure,
  OutboundDownloadResult,
  OutboundHttp,
} from './outbound-http.js';
export { Timestamp, NullableTimestamp, namesARealDay, timestampInput, idSchema } from './common-schemas.js';
export { parseWithSchema } from './parse-with-schema.js';
export { toPageRequest, type PageInput } from './page-input.js';
export { MAX_PAGE_LIMIT, DEFAULT_PAGE_LIMIT, toPage, type PageRequest, type Page } from './pagination.js';
export {
  DEFAULT_RATE_LIMIT_POLICY,
  assertRateLimitPolicy,
  checkedCost,
  type RateLimitPolicy,
  type RateLimitState,
  type RateLimiter,
} from './rate-limiter.js';
export type { UnitOfWork, TransactionContext } from './unit-of-work.js';
export {
  TRACEPARENT_JOB_DATA,
  errorTypeOf,
  inSpan,
  noTracing,
  type SpanAttributes,
  type SpanKind,
  type SpanOptions,
  type TraceSpan,
  type Tracing,
} from './tracing.js';
export { traceJobQueue, type TraceJobQueueOptions } from './trace-job-queue.js';
export { coalesceEnqueues } from './coalesce-enqueues.js';
export { rerunLocalWakes } from './rerun-local-wakes.js';
