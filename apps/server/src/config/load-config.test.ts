import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DEV_WEBHOOK_ALLOW_CIDRS } from './dev-defaults.js';
import { ConfigError, loadConfig } from './load-config.js';
import { readConfig } from './read-config.js';

const valid = {
  DATABASE_URL: 'postgres://u:p@db:5432/whatisup',
  REDIS_URL: 'redis://cache:6379',
  API_KEY_PEPPER: 'p'.repeat(64),
  SECRETS_KEY: 'ab'.repeat(32),
};

function problemsOf(env: Record<string, string | undefined>): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig(valid);
    expect(config.port).toBe(3000);
    expect(config.nodeEnv).toBe('development');
    expect(config.webhooks.maxPerHost).toBe(4);
    expect(config.webhooks.timeoutMs).toBe(10_000);
    expect(config.webhooks.allowCidrs).toEqual([]);
    expect(config.publicUrl).toBe('http://localhost:3000');
    expect(config.secretsKey.reveal()).toHaveLength(32);
  });

  it('runs as whatisup_app with migrations on DATABASE_URL by default, and reads the fan-out limits', () => {
    const config = loadConfig(valid);
    expect(config.databaseAppRole).toBe('whatisup_app');
    expect(config.migrationDatabaseUrl.reveal()).toBe(valid.DATABASE_URL);
    expect(config.webhooks).toMatchObject({ maxEndpointsPerCustomer: 20, maxEndpointsPerInstance: 10 });
    const split = loadConfig({
      ...valid,
      MIGRATION_DATABASE_URL: 'postgres://owner:p@db:5432/whatisup',
      DATABASE_APP_ROLE: '',
      WEBHOOK_MAX_ENDPOINTS_PER_CUSTOMER: '5',
      WEBHOOK_MAX_ENDPOINTS_PER_INSTANCE: '2',
    });
    expect(split.migrationDatabaseUrl.reveal()).toBe('postgres://owner:p@db:5432/whatisup');
    expect(split.databaseAppRole).toBeNull();
    expect(split.webhooks).toMatchObject({ maxEndpointsPerCustomer: 5, maxEndpointsPerInstance: 2 });
    expect(problemsOf({ ...valid, DATABASE_APP_ROLE: 'app; DROP' })[0]).toMatch(/^DATABASE_APP_ROLE must be a role name/);
  });

  it('keeps 10 Postgres connections unless DATABASE_POOL_SIZE says otherwise, and refuses a size that is no count', () => {
    expect(loadConfig(valid).databasePoolSize).toBe(10);
    expect(loadConfig({ ...valid, DATABASE_POOL_SIZE: '24' }).databasePoolSize).toBe(24);
    for (const bad of ['0', '201', '2.5', 'ten']) expect(problemsOf({ ...valid, DATABASE_POOL_SIZE: bad })[0]).toMatch(/^DATABASE_POOL_SIZE /);
  });

  it('accepts SECRETS_KEY as base64url, the form the error message names beside base64 and hex', () => {
    const bytes = Buffer.alloc(32, 0xfb);
    expect(loadConfig({ ...valid, SECRETS_KEY: bytes.toString('base64url') }).secretsKey.reveal()).toEqual(bytes);
  });

  it('names every missing required variable', () => {
    const problems = problemsOf({});
    for (const name of ['DATABASE_URL', 'REDIS_URL', 'API_KEY_PEPPER', 'SECRETS_KEY']) {
      expect(problems).toContainEqual(`${name} is required`);
    }
  });

  it.each([
    ['PORT', 'abc', 'PORT must be a whole number between 0 and 65535'],
    ['PORT', '70000', 'PORT must be at most 65535'],
    ['WEBHOOK_MAX_PER_HOST', '0', 'WEBHOOK_MAX_PER_HOST must be at least 1'],
    ['NODE_ENV', 'staging', 'NODE_ENV must be development, production or test'],
    ['DATABASE_URL', 'mysql://x', 'DATABASE_URL must be a URL starting with postgres:// or postgresql://'],
    ['SECRETS_KEY', 'short', 'SECRETS_KEY must be 32 bytes as base64, base64url or hex'],
    ['SECRETS_KEY', 'b'.repeat(50), 'SECRETS_KEY must be 32 bytes as base64, base64url or hex'],
    ['WEBHOOK_ALLOW_CIDRS', '10.0.0.0/8,notacidr', 'WEBHOOK_ALLOW_CIDRS must be a comma-separated list of CIDRs'],
    ['WEBHOOK_ALLOW_CIDRS', '10.1.2.3/8', 'WEBHOOK_ALLOW_CIDRS must be a comma-separated list of CIDRs'],
    ['API_KEY_PEPPER', 'tiny', 'API_KEY_PEPPER must be at least 32 characters'],
    ['WEBHOOK_RETRY_SCHEDULE', '1,x', 'WEBHOOK_RETRY_SCHEDULE must be a comma-separated list of seconds'],
  ])('rejects %s=%s with a message naming it', (name, value, message) => {
    const problems = problemsOf({ ...valid, [name]: value });
    expect(problems.some((p) => p.startsWith(message))).toBe(true);
  });

  it('never puts a value in an error message', () => {
    const problems = problemsOf({ ...valid, API_KEY_PEPPER: 'leaky-secret-value' });
    expect(problems.join('\n')).not.toContain('leaky-secret-value');
  });

  it('keeps secrets out of logs and JSON', () => {
    const config = loadConfig(valid);
    const printed = `${JSON.stringify(config)} ${inspect(config, { depth: 5 })} ${String(config.apiKeyPepper)}`;
    expect(printed).not.toContain(valid.API_KEY_PEPPER);
    expect(printed).not.toContain('u:p@db');
    expect(config.apiKeyPepper.reveal()).toBe(valid.API_KEY_PEPPER);
  });

  it('reads MAX_SESSIONS_PER_NODE, falling back to its older name MAX_SESSIONS_PER_WORKER, and the lease TTL', () => {
    expect(loadConfig(valid).sessions).toMatchObject({ maxPerNode: 200, leaseTtlMs: 15_000 });
    expect(loadConfig({ ...valid, MAX_SESSIONS_PER_WORKER: '50' }).sessions.maxPerNode).toBe(50);
    expect(loadConfig({ ...valid, MAX_SESSIONS_PER_WORKER: '50', MAX_SESSIONS_PER_NODE: '70' }).sessions.maxPerNode).toBe(70);
    expect(() => loadConfig({ ...valid, MAX_SESSIONS_PER_NODE: '0' })).toThrow(/MAX_SESSIONS_PER_NODE/);
    expect(() => loadConfig({ ...valid, SESSION_LEASE_TTL_MS: '100' })).toThrow(/SESSION_LEASE_TTL_MS/);
  });

  it('parses the allowlist and the retry schedule', () => {
    const config = loadConfig({ ...valid, WEBHOOK_ALLOW_CIDRS: '10.0.0.0/8, 127.0.0.1/32', WEBHOOK_RETRY_SCHEDULE: '0,5,30' });
    expect(config.webhooks.allowCidrs).toEqual(['10.0.0.0/8', '127.0.0.1/32']);
    expect(config.webhooks.retryScheduleMs).toEqual([0, 5000, 30000]);
  });

  it('derives the claim lease from the timeout unless set, and refuses one shorter than an attempt', () => {
    expect(loadConfig({ ...valid, WEBHOOK_TIMEOUT_MS: '5000' }).webhooks.claimLeaseMs).toBe(40_000);
    expect(loadConfig({ ...valid, WEBHOOK_CLAIM_LEASE_MS: '12000' }).webhooks.claimLeaseMs).toBe(12_000);
    expect(problemsOf({ ...valid, WEBHOOK_TIMEOUT_MS: '5000', WEBHOOK_CLAIM_LEASE_MS: '5000' })).toEqual([
      'WEBHOOK_CLAIM_LEASE_MS must be longer than WEBHOOK_TIMEOUT_MS (a claim must outlive an attempt)',
    ]);
  });

  it('reads REDIS_URL=in-process as no Redis outside production, and refuses it in production', () => {
    expect(loadConfig({ ...valid, REDIS_URL: 'in-process' }).redisUrl).toBeNull();
    expect(loadConfig(valid).redisUrl?.reveal()).toBe(valid.REDIS_URL);
    expect(problemsOf({ ...valid, NODE_ENV: 'production', REDIS_URL: 'in-process' })).toEqual([
      'REDIS_URL=in-process is for development and tests; production needs a Redis URL',
    ]);
    expect(problemsOf({ ...valid, REDIS_URL: 'memory' })).toEqual([
      'REDIS_URL must be a URL starting with redis:// or rediss://, or in-process',
    ]);
  });

  it('requires https for PUBLIC_URL in production', () => {
    expect(problemsOf({ ...valid, NODE_ENV: 'production', PUBLIC_URL: 'http://api.example.com' })).toEqual([
      'PUBLIC_URL must use https when NODE_ENV=production',
    ]);
  });

  describe('the development allow list for webhook and media URLs', () => {
    const allowed = (env: Record<string, string>) => readConfig({ ...valid, ...env }).config.webhooks.allowCidrs;

    it('opens loopback, RFC 1918 and unique-local ranges in development when WEBHOOK_ALLOW_CIDRS is unset', () => {
      const { config, defaulted } = readConfig(valid);
      expect(config.webhooks.allowCidrs).toEqual(['127.0.0.0/8', '::1/128', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7']);
      expect(defaulted).toContain('WEBHOOK_ALLOW_CIDRS');
      expect(allowed({ NODE_ENV: 'development' })).toEqual(config.webhooks.allowCidrs);
    });

    it('never includes link-local, where cloud metadata addresses live', () => {
      expect(DEV_WEBHOOK_ALLOW_CIDRS).not.toMatch(/169\.254|fe80/);
    });

    it('keeps an operator value, even an empty one, instead of the default', () => {
      expect(allowed({ WEBHOOK_ALLOW_CIDRS: '172.18.0.0/16' })).toEqual(['172.18.0.0/16']);
      expect(allowed({ WEBHOOK_ALLOW_CIDRS: '' })).toEqual([]);
      expect(readConfig({ ...valid, WEBHOOK_ALLOW_CIDRS: '' }).defaulted).not.toContain('WEBHOOK_ALLOW_CIDRS');
    });

    it('leaves production and test with nothing allowed', () => {
      expect(allowed({ NODE_ENV: 'production' })).toEqual([]);
      expect(allowed({ NODE_ENV: 'test' })).toEqual([]);
      expect(readConfig({ ...valid, NODE_ENV: 'production' }).defaulted).toEqual([]);
    });
  });

  it('defaults the stream caps, the failed-authentication throttle, the unknown-key cache and TRUST_PROXY', () => {
    const { http } = loadConfig(valid);
    expect(http.streams).toEqual({ perKey: 20, perCustomer: 100, total: 0 });
    expect(http.authFailures).toEqual({ capacity: 30, refillPerMinute: 30 });
    expect(http.unknownKeyCacheTtlMs).toBe(60_000);
    expect(http.trustProxy).toBe(false);
  });

  it('reads TRUST_PROXY as a switch, a hop count or a list of proxy addresses, and refuses anything else', () => {
    expect(loadConfig({ ...valid, TRUST_PROXY: 'true' }).http.trustProxy).toBe(true);
    expect(loadConfig({ ...valid, TRUST_PROXY: '2' }).http.trustProxy).toBe(2);
    expect(loadConfig({ ...valid, TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).http.trustProxy).toBe('10.0.0.0/8,127.0.0.1');
    expect(problemsOf({ ...valid, TRUST_PROXY: 'yes please' })[0]).toMatch(/^TRUST_PROXY must be false, true/);
  });
});
