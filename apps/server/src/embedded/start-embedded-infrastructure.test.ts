import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmbeddedInfrastructure, type EmbeddedInfrastructure } from './start-embedded-infrastructure.js';

describe('startEmbeddedInfrastructure', () => {
  let dataDir: string;
  let started: EmbeddedInfrastructure | undefined;
  const lines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) });

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'wiu-embedded-infra-'));
    lines.length = 0;
  });
  afterEach(async () => {
    await started?.stop();
    started = undefined;
    await rm(dataDir, { recursive: true, force: true });
  });

  it('starts Postgres under DATA_DIR/postgres, announces both parts in one line, and never logs the password', async () => {
    started = await startEmbeddedInfrastructure(
      { postgres: { kind: 'embedded', reason: 'forced' }, queue: { kind: 'in-process', reason: 'nothing-answering' } },
      { dataDir, logger, role: 'all' },
    );
    expect(started.inProcessQueue).toBe(true);
    const url = new URL(started.databaseUrl!);
    expect(url.pathname).toBe('/whatisup');
    const admin = new URL(url);
    admin.pathname = '/postgres';
    const client = new pg.Client({ connectionString: admin.toString() });
    await client.connect();
    await client.end();

    const announcements = lines.map((line) => JSON.parse(line) as { msg: string }).filter((l) => l.msg.startsWith('EMBEDDED MODE'));
    expect(announcements).toHaveLength(1);
    expect(announcements[0]!.msg).toContain(`with its data in ${path.join(dataDir, 'postgres')}`);
    expect(announcements[0]!.msg).toContain('DATABASE_URL=embedded');
    expect(announcements[0]!.msg).toContain('job queue, host gate and rate limiter in this process (nothing answered on 127.0.0.1:6379)');
    expect(lines.join('\n')).not.toContain(decodeURIComponent(url.password));
  });

  it('refuses a worker-only process and starts nothing', async () => {
    await expect(
      startEmbeddedInfrastructure(
        { postgres: { kind: 'embedded', reason: 'forced' }, queue: { kind: 'redis', url: 'redis://127.0.0.1:6379' } },
        { dataDir, logger, role: 'worker' },
      ),
    ).rejects.toThrow(/worker-only process cannot run embedded/);
    expect(lines).toEqual([]);
  });

  it('does nothing and says nothing when nothing is embedded', async () => {
    started = await startEmbeddedInfrastructure(
      { postgres: { kind: 'server', url: 'postgres://db/x' }, queue: { kind: 'redis', url: 'redis://cache' } },
      { dataDir, logger, role: 'worker' },
    );
    expect(started).toMatchObject({ databaseUrl: undefined, inProcessQueue: false });
    expect(lines).toEqual([]);
  });
});
