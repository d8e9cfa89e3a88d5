/*
 * A Redis of the test's own, for chaos that must not touch the shared one (FLUSHALL wipes every database of
 * a server). Spawned from the `redis-server` binary without persistence. A file that uses it checks for the
 * binary first (redisServerBinaryOrSkip): skipped with the reason printed where it is missing, a failure in CI
 * or with TEST_REQUIRE_INFRA=1.
 */
import { spawn, spawnSync } from 'node:child_process';
import { Redis } from 'ioredis';
import { freePort, until } from '@whatisup/test-infra';

export interface PrivateRedis {
  readonly url: string;
  readonly port: number;
  /** Runs FLUSHALL: every key of every database is gone. */
  flushAll(): Promise<void>;
  /** How many keys the server holds (all databases). */
  keyCount(): Promise<number>;
  stop(): Promise<void>;
}

/** Starts redis-server on a free port, or on `port` (to bring a stopped one back at the same address). */
export async function startPrivateRedis(options: { port?: number } = {}): Promise<PrivateRedis> {
  if (spawnSync('redis-server', ['--version']).error) {
    throw new Error('redis-server is not on PATH: install Redis (apt-get install redis-server) to run the FLUSHALL test.');
  }
  const port = options.port ?? (await freePort());
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `redis://127.0.0.1:${port}`;
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => 100 });

  try {
    await until(() => output.includes('Ready to accept connections') || child.exitCode !== null, {
      timeoutMs: 10_000,
      message: () => `redis-server did not start on port ${port}:\n${output}`,
    });
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}:\n${output}`);
    await client.connect();
  } catch (error) {
    child.kill('SIGKILL');
    client.disconnect();
    throw error;
  }

  return {
    url,
    port,
    flushAll: async () => {
      await client.flushall();
    },
    keyCount: async () => client.dbsize(),
    stop: async () => {
      client.disconnect();
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
