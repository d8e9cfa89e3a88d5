import { describe } from 'vitest';
import { infra } from './test-database.js';

/**
 * A describe block for tests that need a real Redis. Where the run has none (no TEST_REDIS_URL, no
 * container runtime, nothing on 127.0.0.1:6379, and TEST_REQUIRE_INFRA unset) it is skipped with a printed
 * reason rather than failing; with TEST_REQUIRE_INFRA=1 the global setup has already failed the run.
 * Register the block's hooks inside `body`, so they are skipped with it.
 */
export function describeWithRedis(name: string, body: () => void): void {
  if (infra().redisUrl) {
    describe(name, body);
    return;
  }
  console.warn(`[test-infra] Skipping "${name}": it needs Redis and this run has none.`);
  describe.skip(name, body);
}
