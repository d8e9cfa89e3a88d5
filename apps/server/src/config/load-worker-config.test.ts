import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './load-config.js';
import { loadWorkerConfig } from './load-worker-config.js';

const common = {
  DATABASE_URL: 'postgres://u:p@db:5432/whatisup',
  REDIS_URL: 'redis://cache:6379',
  SECRETS_KEY: 'ab'.repeat(32),
};

describe('configuration per role', () => {
  it('lets the worker start without API_KEY_PEPPER, which the API role still requires', () => {
    const worker = loadWorkerConfig(common);
    expect(worker.workerPort).toBe(3001);
    expect(worker.shutdownTimeoutMs).toBe(10_000);
    expect('apiKeyPepper' in worker).toBe(false);
    expect(() => loadConfig(common)).toThrow(ConfigError);
  });

  it('reads WORKER_PORT and SHUTDOWN_TIMEOUT_MS, naming the variable when one is bad', () => {
    expect(loadWorkerConfig({ ...common, WORKER_PORT: '0', SHUTDOWN_TIMEOUT_MS: '2500' })).toMatchObject({
      workerPort: 0,
      shutdownTimeoutMs: 2_500,
    });
    expect(() => loadWorkerConfig({ ...common, WORKER_PORT: 'x' })).toThrow(/WORKER_PORT must be a whole number/);
    expect(() => loadWorkerConfig({ ...common, SHUTDOWN_TIMEOUT_MS: '10' })).toThrow(/SHUTDOWN_TIMEOUT_MS must be at least 1000/);
  });

  it('refuses REDIS_URL=in-process: a worker shares the queue with the API processes', () => {
    expect(() => loadWorkerConfig({ ...common, REDIS_URL: 'in-process' })).toThrow(
      /REDIS_URL must be a URL starting with redis:\/\/ or rediss:\/\/$/m,
    );
    expect(loadWorkerConfig(common).redisUrl.reveal()).toBe(common.REDIS_URL);
  });
});
