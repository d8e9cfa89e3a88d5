import { isDomainError } from '@whatisup/core';
import type { FastifyRequest } from 'fastify';
import { ApiError, isApiError } from './api-error.js';
import type { AuthFailureThrottle } from './auth-failure-throttle.js';

const isAuthFailure = (error: unknown): boolean =>
  isDomainError(error, 'unauthenticated') || (isApiError(error) && error.status === 401);

/**
 * Runs `attempt` (a key or token check) unless the client's address has failed too often: then it answers
 * 429 `rate_limited` without running it. A failure of `attempt` is counted against the address. The
 * address is `request.ip`, which follows X-Forwarded-For only when the app trusts the proxy (`trustProxy`).
 */
export async function authenticateThrottled<T>(
  throttle: AuthFailureThrottle | null,
  request: FastifyRequest,
  attempt: () => Promise<T>,
): Promise<T> {
  if (throttle === null) return attempt();
  const waitSeconds = throttle.retryAfterSeconds(request.ip);
  if (waitSeconds > 0) {
    throw new ApiError(
      429,
      'rate_limited',
      `Too many failed authentications from your address: retry in ${waitSeconds} s with a valid key.`,
      { reason: 'too_many_failed_authentications', retry_after_seconds: waitSeconds },
    );
  }
  try {
    return await attempt();
  } catch (error) {
    if (isAuthFailure(error)) throttle.recordFailure(request.ip);
    throw error;
  }
}
