/**
 * The values of DATABASE_URL and REDIS_URL that ask for the embedded parts outside production
 * (docs/decisions/0014-embedded-default.md): a PostgreSQL server started by this process, and the job
 * queue, host gate and rate limiter inside it.
 */
export const EMBEDDED_DATABASE = 'embedded';
export const IN_PROCESS_QUEUE = 'in-process';
