/**
 * Redis did not answer within the adapter's deadline, or the connection is known to be down. Callers treat
 * it as "the wake-up did not happen": Postgres still holds the work and the sweepers re-drive it.
 */
export class RedisUnavailableError extends Error {
  override readonly name = 'RedisUnavailableError';
}

/** True for a RedisUnavailableError, also across package copies (checked by name). */
export function isRedisUnavailableError(error: unknown): error is RedisUnavailableError {
  return error instanceof Error && error.name === 'RedisUnavailableError';
}
