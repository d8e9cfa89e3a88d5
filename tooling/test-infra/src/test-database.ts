import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import type { InfraInfo } from './infra-info.js';
import { adminQuery, withDatabase } from './global-setup.js';

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

export function infra(): InfraInfo {
  const info = inject('whatisupInfra');
  if (!info) throw new Error('whatisupInfra was not provided: is the package global setup configured?');
  return info;
}

/**
 * Creates a database cloned from the migrated template. Each test file calls this once (beforeAll) and
 * drops it afterwards; nothing is shared between files.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const { postgresUrl, templateDatabase, runId } = infra();
  if (!postgresUrl || !templateDatabase) throw new Error('this package’s global setup did not start Postgres');
  const name = `wiu_t_${runId}_${randomBytes(4).toString('hex')}`;
  // CREATE DATABASE ... TEMPLATE fails while another clone of the same template is being made; retry briefly.
  for (let attempt = 0; ; attempt++) {
    try {
      await adminQuery(postgresUrl, `CREATE DATABASE "${name}" TEMPLATE "${templateDatabase}"`);
      break;
    } catch (error) {
      if (attempt >= 20 || !/being accessed by other users/.test((error as Error).message)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 100));
    }
  }
  return {
    name,
    url: withDatabase(postgresUrl, name),
    drop: async () => {
      await adminQuery(postgresUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}

/** Creates an empty database (no schema), e.g. for testing the migration runner itself. */
export async function createEmptyDatabase(): Promise<TestDatabase> {
  const { postgresUrl, runId } = infra();
  if (!postgresUrl) throw new Error('this package’s global setup did not start Postgres');
  const name = `wiu_e_${runId}_${randomBytes(4).toString('hex')}`;
  await adminQuery(postgresUrl, `CREATE DATABASE "${name}"`);
  return {
    name,
    url: withDatabase(postgresUrl, name),
    drop: async () => {
      await adminQuery(postgresUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}

export function testRedisUrl(): string {
  const { redisUrl } = infra();
  if (!redisUrl) throw new Error('this package’s global setup did not start Redis');
  return redisUrl;
}

/** A Redis key prefix no other test (in this run or any other) uses. */
export function uniqueRedisPrefix(label = 't'): string {
  return `wiu-test:${infra().runId}:${label}:${randomBytes(4).toString('hex')}`;
}
