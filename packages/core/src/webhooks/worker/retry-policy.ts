/*
 * What happens after a delivery attempt. Postgres holds the schedule: the worker stores the decision's
 * time as `next_attempt_at`; the queue only wakes the work.
 *
 * Attempt n (1-based) is due `scheduleMs[n - 1]` (jittered) after the previous attempt ended, attempt 1
 * after the event was recorded: with the default schedule, attempt 1 at once, 2 about 10 s after 1 failed,
 * ..., 6 about 2 h after 5 failed; when attempt 6 fails the delivery is `failed` (and stays replayable).
 *
 * - 2xx: success.
 * - 410 Gone: the receiver says the endpoint is gone for good: disable it (reason `gone`). The worker also
 *   ends the delivery as failed, so it can be replayed once the endpoint is fixed and re-enabled.
 * - 429 and 503 with a valid Retry-After: retry at the time asked for, clamped to
 *   [retryAfterMinMs, retryAfterMaxMs], without jitter (the receiver picked the time).
 * - Anything else (1xx, 3xx since redirects are never followed, other 4xx and 5xx, timeouts, network and
 *   TLS errors, a URL refused at delivery time by the SSRF guard): retry on the schedule.
 * - Any non-success after the last scheduled attempt: failed, Retry-After or not.
 */
import { systemClock, type Clock } from '../../shared/index.js';
import { parseRetryAfter } from './parse-retry-after.js';

export const DEFAULT_RETRY_SCHEDULE_MS: readonly number[] = [0, 10_000, 60_000, 300_000, 1_800_000, 7_200_000];
export const DEFAULT_RETRY_JITTER = 0.2;
export const DEFAULT_RETRY_AFTER_MIN_MS = 1_000;

/** How an attempt ended. Structurally compatible with the outbound HTTP port's result. */
export type AttemptOutcome =
  | { readonly kind: 'response'; readonly status: number; readonly headers: Readonly<Record<string, string>> }
  | { readonly kind: 'timeout' | 'dns_error' | 'connect_error' | 'tls_error' | 'network_error' | 'unsafe_url' };

export interface AttemptResult {
  /** 1-based number of the attempt that just ended. */
  readonly attempt: number;
  readonly outcome: AttemptOutcome;
}

export type EndpointDisableReason = 'gone';

export type RetryDecision =
  | { readonly kind: 'success' }
  | { readonly kind: 'retry'; readonly at: Date }
  | { readonly kind: 'failed' }
  | { readonly kind: 'disable'; readonly reason: EndpointDisableReason };

export interface RetryPolicyOptions {
  /** Delay before each attempt; its length is the number of attempts. Default 0, 10 s, 1 m, 5 m, 30 m, 2 h. */
  readonly scheduleMs?: readonly number[];
  /** Each scheduled delay is scaled by a uniform factor in [1 - jitter, 1 + jitter]. Default 0.2. */
  readonly jitter?: number;
  /** Lower bound for a Retry-After delay. Default 1 s. */
  readonly retryAfterMinMs?: number;
  /** Upper bound for a Retry-After delay. Default: the longest step of the schedule. */
  readonly retryAfterMaxMs?: number;
  /** Uniform in [0, 1). Default Math.random. */
  readonly random?: () => number;
  readonly clock?: Clock;
}

export interface RetryPolicy {
  readonly maxAttempts: number;
  /** The jittered delay before attempt n (1-based); throws RangeError outside 1..maxAttempts. */
  delayBeforeAttempt(attempt: number): number;
  /** When attempt 1 of a new delivery (or of a replay) is due. */
  firstAttemptAt(): Date;
  /** The decision after an attempt ended, relative to the clock's now. */
  classifyAttempt(result: AttemptResult): RetryDecision;
}

const isNonNegative = (n: number): boolean => Number.isFinite(n) && n >= 0;

/** Throws RangeError on a nonsensical configuration (empty schedule, negative delays, jitter outside [0, 1)). */
export function createRetryPolicy(options: RetryPolicyOptions = {}): RetryPolicy {
  const scheduleMs = [...(options.scheduleMs ?? DEFAULT_RETRY_SCHEDULE_MS)];
  const jitter = options.jitter ?? DEFAULT_RETRY_JITTER;
  const minMs = options.retryAfterMinMs ?? DEFAULT_RETRY_AFTER_MIN_MS;
  // An all-zero schedule (immediate retries) still honours a receiver's Retry-After up to the minimum.
  const maxMs = options.retryAfterMaxMs ?? Math.max(minMs, ...scheduleMs);
  const random = options.random ?? Math.random;
  const clock = options.clock ?? systemClock;
  if (scheduleMs.length === 0 || !scheduleMs.every(isNonNegative)) {
    throw new RangeError('A retry schedule needs at least one delay, each a non-negative number of milliseconds.');
  }
  if (!(jitter >= 0 && jitter < 1)) throw new RangeError('Retry jitter must be in [0, 1).');
  if (!isNonNegative(minMs) || !isNonNegative(maxMs) || minMs > maxMs) {
    throw new RangeError('Retry-After bounds must satisfy 0 <= retryAfterMinMs <= retryAfterMaxMs.');
  }

  function delayBeforeAttempt(attempt: number): number {
    const base = scheduleMs[attempt - 1];
    if (!Number.isInteger(attempt) || base === undefined) {
      throw new RangeError(`Attempt must be an integer from 1 to ${scheduleMs.length}, got ${attempt}.`);
    }
    return Math.round(base * (1 + jitter * (2 * random() - 1)));
  }

  const after = (ms: number): Date => new Date(clock.now().getTime() + ms);

  function classifyAttempt({ attempt, outcome }: AttemptResult): RetryDecision {
    if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError(`Attempt must be a positive integer, got ${attempt}.`);
    if (outcome.kind === 'response') {
      if (outcome.status >= 200 && outcome.status < 300) return { kind: 'success' };
      if (outcome.status === 410) return { kind: 'disable', reason: 'gone' };
    }
    if (attempt >= scheduleMs.length) return { kind: 'failed' };
    const asked = outcome.kind === 'response' ? retryAfterOf(outcome.status, outcome.headers) : null;
    if (asked !== null) return { kind: 'retry', at: after(Math.min(maxMs, Math.max(minMs, asked))) };
    return { kind: 'retry', at: after(delayBeforeAttempt(attempt + 1)) };
  }

  function retryAfterOf(status: number, headers: Readonly<Record<string, string>>): number | null {
    if (status !== 429 && status !== 503) return null;
    const name = Object.keys(headers).find((key) => key.toLowerCase() === 'retry-after');
    return parseRetryAfter(name === undefined ? undefined : headers[name], clock.now());
  }

  return {
    maxAttempts: scheduleMs.length,
    delayBeforeAttempt,
    firstAttemptAt: () => after(delayBeforeAttempt(1)),
    classifyAttempt,
  };
}
