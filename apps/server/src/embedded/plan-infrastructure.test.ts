import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config/load-config.js';
import { DEV_DATABASE_URL, DEV_REDIS_URL } from '../config/dev-defaults.js';
import { planInfrastructure, type PortProbe } from './plan-infrastructure.js';

const answering = (...ports: number[]): PortProbe & { asked: number[] } => {
  const asked: number[] = [];
  return Object.assign(async (_host: string, port: number) => (asked.push(port), ports.includes(port)), { asked });
};

describe('planInfrastructure', () => {
  it('embeds both parts when nothing answers on the default ports', async () => {
    expect(await planInfrastructure({}, answering())).toEqual({
      postgres: { kind: 'embedded', reason: 'nothing-answering' },
      queue: { kind: 'in-process', reason: 'nothing-answering' },
    });
  });

  it('uses the development servers when they answer', async () => {
    expect(await planInfrastructure({}, answering(5432, 6379))).toEqual({
      postgres: { kind: 'server', url: DEV_DATABASE_URL },
      queue: { kind: 'redis', url: DEV_REDIS_URL },
    });
  });

  it('embeds what is forced even where a server answers, and probes nothing it does not need', async () => {
    const probe = answering(5432, 6379);
    expect(await planInfrastructure({ DATABASE_URL: 'embedded', REDIS_URL: 'in-process' }, probe)).toEqual({
      postgres: { kind: 'embedded', reason: 'forced' },
      queue: { kind: 'in-process', reason: 'forced' },
    });
    expect(probe.asked).toEqual([]);
  });

  it('uses given URLs without probing', async () => {
    const probe = answering();
    const plan = await planInfrastructure({ DATABASE_URL: 'postgres://db/x', REDIS_URL: 'redis://cache:6380' }, probe);
    expect(plan).toEqual({ postgres: { kind: 'server', url: 'postgres://db/x' }, queue: { kind: 'redis', url: 'redis://cache:6380' } });
    expect(probe.asked).toEqual([]);
  });

  it('refuses the embedded keywords in production, naming each variable, and probes nothing', async () => {
    const probe = answering();
    const error = await planInfrastructure(
      { NODE_ENV: 'production', DATABASE_URL: 'embedded', REDIS_URL: 'in-process' },
      probe,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      expect.stringMatching(/^DATABASE_URL=embedded .* production needs a PostgreSQL URL$/),
      expect.stringMatching(/^REDIS_URL=in-process .* production needs a Redis URL$/),
    ]);
    expect(await planInfrastructure({ NODE_ENV: 'production' }, probe)).toEqual({
      postgres: { kind: 'server', url: undefined },
      queue: { kind: 'redis', url: undefined },
    });
    expect(probe.asked).toEqual([]);
  });
});
