import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config/load-config.js';
import { readConfigWithInfrastructure, refuseEmbeddedForWorker } from './read-config-with-infrastructure.js';
import type { PortProbe } from './plan-infrastructure.js';

const secrets = { API_KEY_PEPPER: 'p'.repeat(64), SECRETS_KEY: 'ab'.repeat(32) };
const answering = (...ports: number[]): PortProbe => async (_host, port) => ports.includes(port);
const silent = () => pino({ level: 'silent' });

const problemsOf = async (promise: Promise<unknown>): Promise<readonly string[]> => {
  const error = await promise.then(
    () => {
      throw new Error('expected a ConfigError');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return (error as ConfigError).problems;
};

describe('readConfigWithInfrastructure', () => {
  it('reads the development servers it found, starting nothing', async () => {
    const { config, embedded } = await readConfigWithInfrastructure(secrets, { createLogger: silent, probe: answering(5432, 6379) });
    expect(config.databaseUrl.reveal()).toBe('postgres://postgres@127.0.0.1:5432/whatisup');
    expect(config.redisUrl?.reveal()).toBe('redis://127.0.0.1:6379');
    expect(embedded).toMatchObject({ databaseUrl: undefined, inProcessQueue: false });
  });

  it('runs the queue in process when nothing answers on the Redis port', async () => {
    const { config, embedded } = await readConfigWithInfrastructure(secrets, { createLogger: silent, probe: answering(5432) });
    expect(config.redisUrl).toBeNull();
    expect(embedded.inProcessQueue).toBe(true);
  });

  it('checks the rest of the configuration before starting an embedded Postgres', async () => {
    const problems = await problemsOf(
      readConfigWithInfrastructure({ ...secrets, DATABASE_URL: 'embedded', PORT: 'x', DATA_DIR: '/nonexistent/never-created' }, {
        createLogger: silent,
        probe: answering(),
      }),
    );
    expect(problems).toEqual(['PORT must be a whole number between 0 and 65535']);
  });

  it('refuses the keywords in production without probing', async () => {
    const probe: PortProbe = async () => {
      throw new Error('probed');
    };
    const problems = await problemsOf(
      readConfigWithInfrastructure({ ...secrets, NODE_ENV: 'production', DATABASE_URL: 'embedded', REDIS_URL: 'redis://r' }, {
        createLogger: silent,
        probe,
      }),
    );
    expect(problems).toEqual([expect.stringMatching(/^DATABASE_URL=embedded .*production needs a PostgreSQL URL$/)]);
  });

  it('refuses embedding for serve --no-worker, naming each variable', async () => {
    const problems = await problemsOf(
      readConfigWithInfrastructure({ ...secrets, REDIS_URL: 'in-process' }, {
        createLogger: silent,
        probe: answering(),
        refuseEmbeddedAs: '`whatisup serve --no-worker`',
      }),
    );
    expect(problems).toEqual([
      expect.stringMatching(/^DATABASE_URL is unset and nothing answers on 127\.0\.0\.1:5432: `whatisup serve --no-worker` needs/),
      expect.stringMatching(/^REDIS_URL=in-process cannot serve `whatisup serve --no-worker`/),
    ]);
  });
});

describe('refuseEmbeddedForWorker', () => {
  it('names the variable a worker must set instead of embedding', async () => {
    expect(await problemsOf(refuseEmbeddedForWorker({ DATABASE_URL: 'embedded' }, answering(6379)))).toEqual([
      expect.stringMatching(/^DATABASE_URL=embedded cannot serve `whatisup worker`: set DATABASE_URL/),
    ]);
  });

  it('passes the development servers it found on to the configuration', async () => {
    expect(await refuseEmbeddedForWorker({}, answering(5432, 6379))).toMatchObject({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/whatisup',
      REDIS_URL: 'redis://127.0.0.1:6379',
    });
  });
});
