/*
 * The real WhatIsUp server for the client's tests: `apps/server` started from its TypeScript source (tsx with
 * the workspace source condition, as its own end-to-end tests start it), on its own cloned database and Redis
 * prefix; where the run has no Redis, with its queues in the process (the client sees the same API). Outside
 * production on an empty database it creates a customer and prints that customer's first API key;
 * `createCustomer` makes more with the operator's CLI.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, infra, uniqueRedisPrefix, until, type TestDatabase } from '@whatisup/test-infra';

const SERVER_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../apps/server');
const NODE_ARGS = ['--conditions=@whatisup/source', '--import', 'tsx'];
const API_KEY = /wiu_[a-z2-7]{16}_[A-Za-z0-9_-]{43}/;

export interface RealServer {
  readonly url: string;
  /** The key of the customer the server made at its first start. */
  readonly apiKey: string;
  /** Everything the process printed so far. */
  output(): string;
  /** Another customer with its own key, made with the CLI. */
  createCustomer(name: string): Promise<{ readonly customerId: string; readonly apiKey: string }>;
  stop(): Promise<void>;
}

export async function startRealServer(name: string, extraEnv: Record<string, string> = {}): Promise<RealServer> {
  const database = await createTestDatabase();
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    DATABASE_URL: database.url,
    ...redisEnv(name),
    API_KEY_PEPPER: randomBytes(32).toString('hex'),
    SECRETS_KEY: randomBytes(32).toString('base64'),
    DATA_DIR: mkdtempSync(path.join(tmpdir(), 'wiu-client-')),
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'info',
    // The tests' webhook receivers listen on loopback; sandbox instances pair themselves quickly.
    WEBHOOK_ALLOW_CIDRS: '127.0.0.1/32',
    SANDBOX_AUTO_SCAN_MS: '50',
    ...extraEnv,
  };
  try {
    const process = await spawnServer(env);
    await until(() => API_KEY.test(process.output()), {
      timeoutMs: 15_000,
      message: () => `the server printed no development API key:\n${process.output().slice(-2000)}`,
    });
    return {
      url: process.url,
      apiKey: API_KEY.exec(process.output())![0],
      output: process.output,
      createCustomer: async (customerName) => {
        const customer = await runCli(['customer', 'create', '--name', customerName, '--json'], env);
        const key = await runCli(['key', 'create', '--customer', customer.id!, '--json'], env);
        return { customerId: customer.id!, apiKey: key.key! };
      },
      stop: async () => {
        await process.stop();
        await database.drop();
      },
    };
  } catch (error) {
    await database.drop();
    throw error;
  }
}

function redisEnv(name: string): Record<string, string> {
  const { redisUrl } = infra();
  return redisUrl === null ? { REDIS_URL: 'in-process' } : { REDIS_URL: redisUrl, REDIS_PREFIX: uniqueRedisPrefix(name) };
}

function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: globalThis.process.env.PATH, HOME: globalThis.process.env.HOME, ...env };
}

interface ServerProcess {
  readonly url: string;
  output(): string;
  stop(): Promise<void>;
}

function spawnServer(env: Record<string, string>): Promise<ServerProcess> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(globalThis.process.execPath, [...NODE_ARGS, 'src/main.ts'], { cwd: SERVER_DIR, env: childEnv(env) });
    let output = '';
    let settled = false;
    const exited = new Promise<void>((done) => child.on('exit', () => done()));
    const timer = setTimeout(() => fail(new Error(`the server did not start within 60 s:\n${output}`)), 60_000);
    function fail(error: Error) {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    }
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (settled) return;
      for (const line of output.split('\n')) {
        if (!line.startsWith('{')) continue;
        let entry: { msg?: string; address?: string };
        try {
          entry = JSON.parse(line) as typeof entry;
        } catch {
          continue;
        }
        if (entry.msg !== 'listening' || entry.address === undefined) continue;
        settled = true;
        clearTimeout(timer);
        resolve({
          url: entry.address,
          output: () => output,
          stop: async () => {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
            await exited;
          },
        });
        return;
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => fail(new Error(`the server exited with ${code} before it was ready:\n${output}`)));
  });
}

function runCli(args: string[], env: Record<string, string>): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    const child = spawn(globalThis.process.execPath, [...NODE_ARGS, 'src/cli.ts', ...args], { cwd: SERVER_DIR, env: childEnv(env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`whatisup ${args.join(' ')} exited with ${code}:\n${stderr}`));
      resolve(JSON.parse(stdout) as Record<string, string>);
    });
  });
}

export type { TestDatabase };
