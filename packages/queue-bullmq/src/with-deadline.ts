import { RedisUnavailableError } from './redis-unavailable-error.js';

/**
 * Resolves or rejects as `work` does, or rejects with RedisUnavailableError after `deadlineMs`. The work
 * itself is not cancelled (Redis offers no cancellation); every call here is idempotent, so a late
 * completion is harmless.
 */
export async function withDeadline<T>(work: Promise<T>, deadlineMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RedisUnavailableError(`Redis did not answer ${what} within ${deadlineMs} ms.`)), deadlineMs);
  });
  try {
    return await Promise.race([work, expired]);
  } catch (error) {
    // ioredis rejects at once when the connection is down and the offline queue is off: same meaning.
    if (error instanceof RedisUnavailableError || !isConnectionFailure(error)) throw error;
    throw new RedisUnavailableError(`Redis is unreachable (${what}): ${(error as Error).message}`);
  } finally {
    clearTimeout(timer);
    // A late rejection of the abandoned work must not become an unhandled rejection.
    work.catch(() => undefined);
  }
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Errors that mean "the connection is down" rather than "Redis refused this command". */
export function isConnectionFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && CONNECTION_CODES.has(code)) return true;
  return (
    error.name === 'MaxRetriesPerRequestError' ||
    /Stream isn't writeable|Connection is closed|enableOfflineQueue|Command timed out/i.test(error.message)
  );
}
