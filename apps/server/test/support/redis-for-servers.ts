/*
 * Which REDIS_URL the server processes of a test file get. Where the run has a Redis (TEST_REDIS_URL, a
 * container, the local default port) every server uses it, as in production. Where it has none, a server
 * that does not care runs with REDIS_URL=in-process, exactly as `pnpm start` does on such a machine
 * (docs/decisions/0014-embedded-default.md); a file that is about Redis itself (a worker-only process
 * sharing the queue, an outage, FLUSHALL) skips and prints why. With TEST_REQUIRE_INFRA=1 the global setup
 * has already failed a run without Redis, so nothing skips there.
 */
import { spawnSync } from 'node:child_process';
import { infra } from '@whatisup/test-infra';
import { infraRequired } from './infra-required.js';

/** REDIS_URL for a server that works on either backend: the run's Redis, else the in-process queue. */
export function serverRedisUrl(): string {
  return infra().redisUrl ?? 'in-process';
}

/**
 * The run's Redis for a file that needs one shared between processes, or null after printing why the file
 * is skipped. Guard the file's hooks with the null and its tests with `describe.skipIf`.
 */
export function sharedRedisOrSkip(file: string, why: string): string | null {
  const url = infra().redisUrl;
  if (url === null) console.warn(`[test-infra] Skipping "${file}": ${why}, and this run has no Redis.`);
  return url;
}

/**
 * Whether a file that starts its own `redis-server` (support/private-redis.ts) can run here. Without the
 * binary it prints why the file is skipped and returns false, except in CI or with TEST_REQUIRE_INFRA=1,
 * where it throws.
 */
export function redisServerBinaryOrSkip(file: string, env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  if (!spawnSync('redis-server', ['--version'], { env: { PATH: env.PATH } }).error) return true;
  const reason = 'redis-server is not on PATH (install Redis, e.g. apt-get install redis-server)';
  if (infraRequired(env)) throw new Error(`"${file}" cannot run: ${reason}. CI and TEST_REQUIRE_INFRA=1 require it.`);
  console.warn(`[test-infra] Skipping "${file}": it starts its own Redis and ${reason}.`);
  return false;
}
