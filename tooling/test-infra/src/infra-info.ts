/** What the global setup hands to every test file (through vitest's provide/inject). */
export interface InfraInfo {
  /** Admin connection string of the Postgres server (database `postgres`), or null when not requested. */
  readonly postgresUrl: string | null;
  /** Name of the migrated template database each test file clones. */
  readonly templateDatabase: string | null;
  /** Redis connection string, or null when not requested. */
  readonly redisUrl: string | null;
  /** Unique id of this test run; prefixes every database and Redis key it creates. */
  readonly runId: string;
}

declare module 'vitest' {
  interface ProvidedContext {
    whatisupInfra: InfraInfo;
  }
}
