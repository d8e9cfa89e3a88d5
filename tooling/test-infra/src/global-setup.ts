/*
 * Vitest global setup shared by every package whose tests need real infrastructure.
 *
 * Where the servers come from, in order:
 *  1. TEST_DATABASE_URL / TEST_REDIS_URL when set (CI and this project's machines);
 *  2. otherwise Postgres 15 and Redis 7 started with testcontainers (a developer's machine with Docker);
 *  3. otherwise, when no container runtime exists, the conventional local servers (127.0.0.1:5432 as user
 *     postgres, 127.0.0.1:6379), as on the project's CI machines;
 *  4. otherwise, unless TEST_REQUIRE_INFRA=1: Postgres embedded in the run (embedded-test-postgres.ts), and
 *     no Redis at all: tests written with `describeWithRedis` skip, each with a printed reason.
 * TEST_EMBEDDED_POSTGRES=1 goes straight to the embedded Postgres, so CI tests that path too. With
 * TEST_REQUIRE_INFRA=1 (CI) a URL that is set but unreachable, or no server at all, fails the run at once.
 *
 * Isolation: one template database migrated here, cloned per test file (see test-database.ts); one run id
 * that every Redis prefix starts with.
 */
import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { Redis } from 'ioredis';
import { startEmbeddedTestPostgres } from './embedded-test-postgres.js';
import type { InfraInfo } from './infra-info.js';

export interface GlobalSetupOptions {
  readonly postgres?: boolean;
  readonly redis?: boolean;
  /** Applies the schema to the template database (the real migration runner). */
  readonly migrate?: (databaseUrl: string) => Promise<void>;
}

type Stop = () => Promise<void>;

export function createGlobalSetup(options: GlobalSetupOptions) {
  return async function setup(project: TestProject): Promise<() => Promise<void>> {
    const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
    const stops: Stop[] = [];
    let postgresUrl: string | null = null;
    let templateDatabase: string | null = null;
    let redisUrl: string | null = null;

    try {
      if (options.postgres) {
        const pgServer = await obtainPostgres();
        postgresUrl = pgServer.url;
        if (pgServer.stop) stops.push(pgServer.stop);
        templateDatabase = `wiu_tpl_${runId}`;
        await adminQuery(postgresUrl, `CREATE DATABASE "${templateDatabase}"`);
        const dropTemplate = async () => {
          await dropDatabasesLike(postgresUrl!, `wiu_%${runId}%`);
        };
        stops.push(dropTemplate);
        if (options.migrate) await options.migrate(withDatabase(postgresUrl, templateDatabase));
      }
      if (options.redis) {
        const redisServer = await obtainRedis();
        redisUrl = redisServer?.url ?? null;
        if (redisServer?.stop) stops.push(redisServer.stop);
        const url = redisUrl;
        // Every test prefix starts with this run's id (uniqueRedisPrefix): leave the shared Redis as we found it.
        if (url) stops.push(() => deleteKeysLike(url, `wiu-test:${runId}:*`));
      }
    } catch (error) {
      for (const stop of stops.reverse()) await stop().catch(() => undefined);
      throw error;
    }

    const info: InfraInfo = { postgresUrl, templateDatabase, redisUrl, runId };
    project.provide('whatisupInfra', info);

    return async () => {
      for (const stop of stops.reverse()) await stop().catch(() => undefined);
    };
  };
}

interface Server {
  readonly url: string;
  readonly stop?: Stop;
}

const required = () => process.env.TEST_REQUIRE_INFRA === '1';

async function obtainPostgres(): Promise<Server> {
  if (process.env.TEST_EMBEDDED_POSTGRES === '1') return startEmbeddedTestPostgres('TEST_EMBEDDED_POSTGRES=1');
  const fromEnv = process.env.TEST_DATABASE_URL;
  if (fromEnv) {
    await probe('Postgres', 'TEST_DATABASE_URL', () => adminQuery(fromEnv, 'SELECT 1'));
    return { url: withDatabase(fromEnv, 'postgres') };
  }
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  return startContainer(
    'Postgres',
    'TEST_DATABASE_URL',
    async () => {
      const container = await new PostgreSqlContainer('postgres:15-alpine').start();
      return { url: withDatabase(container.getConnectionUri(), 'postgres'), stop: async () => void (await container.stop()) };
    },
    async () => {
      await adminQuery(LOCAL_POSTGRES, 'SELECT 1');
      return { url: LOCAL_POSTGRES };
    },
  ).catch((error: unknown) => {
    if (required()) throw error;
    return startEmbeddedTestPostgres('no TEST_DATABASE_URL, no container runtime, nothing on 127.0.0.1:5432');
  });
}

/** Null when there is none and none is required: tests written with `describeWithRedis` then skip. */
async function obtainRedis(): Promise<Server | null> {
  const fromEnv = process.env.TEST_REDIS_URL;
  if (fromEnv) {
    await probe('Redis', 'TEST_REDIS_URL', () => pingRedis(fromEnv));
    return { url: fromEnv };
  }
  const { RedisContainer } = await import('@testcontainers/redis');
  return startContainer(
    'Redis',
    'TEST_REDIS_URL',
    async () => {
      const container = await new RedisContainer('redis:7-alpine').start();
      return { url: container.getConnectionUrl(), stop: async () => void (await container.stop()) };
    },
    async () => {
      await pingRedis(LOCAL_REDIS);
      return { url: LOCAL_REDIS };
    },
  ).catch((error: unknown) => {
    if (required()) throw error;
    console.warn(`[test-infra] No Redis for this run: tests that need it skip. (${(error as Error).message})`);
    return null;
  });
}

async function probe(what: string, variable: string, check: () => Promise<unknown>): Promise<void> {
  try {
    await check();
  } catch (error) {
    throw new Error(
      `${what} at ${variable} is not reachable (${(error as Error).message}). ` +
        `Start it, or unset ${variable} to let the tests start one with testcontainers.`,
    );
  }
}

const LOCAL_POSTGRES = 'postgres://postgres@127.0.0.1:5432/postgres';
const LOCAL_REDIS = 'redis://127.0.0.1:6379';

async function pingRedis(url: string): Promise<void> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  // The refusal is reported through connect()'s rejection; without a listener ioredis prints it again.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
  } finally {
    client.disconnect();
  }
}

async function startContainer(
  what: string,
  variable: string,
  start: () => Promise<Server>,
  local: () => Promise<Server>,
): Promise<Server> {
  let containerError: Error;
  try {
    return await start();
  } catch (error) {
    containerError = error as Error;
  }
  try {
    return await local();
  } catch (error) {
    const hint = required()
      ? 'TEST_REQUIRE_INFRA=1 is set, so the run stops here instead of falling back or skipping.'
      : '';
    throw new Error(
      `No ${what} for the tests: ${variable} is unset, testcontainers could not start one ` +
        `(${containerError.message}) and none answers on the default local port (${(error as Error).message}). ` +
        `Set ${variable} or start Docker. ${hint}`.trim(),
    );
  }
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export async function adminQuery(url: string, sql: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await client.query(sql, params);
  } finally {
    await client.end();
  }
}

async function deleteKeysLike(url: string, pattern: string): Promise<void> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await client.connect();
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      if (keys.length > 0) await client.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}

async function dropDatabasesLike(adminUrl: string, pattern: string): Promise<void> {
  const { rows } = await adminQuery(adminUrl, 'SELECT datname FROM pg_database WHERE datname LIKE $1', [pattern]);
  for (const row of rows as { datname: string }[]) {
    await adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${row.datname}" WITH (FORCE)`);
  }
}
