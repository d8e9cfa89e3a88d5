/*
 * Real processes for end-to-end tests: the server and the CLI started from TypeScript source (tsx with the
 * workspace source condition), exactly as `pnpm start` / `pnpm whatisup` run them after a build.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const APP_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const NODE_ARGS = ['--conditions=@whatisup/source', '--import', 'tsx'];

export interface TestEnv {
  readonly DATABASE_URL: string;
  readonly REDIS_URL: string;
  readonly [name: string]: string;
}

/** A complete environment for one test file: fixed secrets, a private DATA_DIR, quiet by default. */
export function testEnv(databaseUrl: string, redisUrl: string, extra: Record<string, string> = {}): TestEnv {
  return {
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    API_KEY_PEPPER: randomBytes(32).toString('hex'),
    SECRETS_KEY: randomBytes(32).toString('base64'),
    DATA_DIR: mkdtempSync(path.join(tmpdir(), 'wiu-e2e-')),
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'info',
    // A killed server's sessions resume after its leases expire: short, so restarts in tests are quick.
    SESSION_LEASE_TTL_MS: '5000',
    ...extra,
  };
}

function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  // Only what the process needs: no test-runner variables leak into the server's configuration.
  return { PATH: process.env.PATH, HOME: process.env.HOME, ...env };
}

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI (or another entry, e.g. `src/main.ts`) to its end. */
export function runCli(args: string[], env: Record<string, string>, entry = 'src/cli.ts'): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...NODE_ARGS, entry, ...args], { cwd: APP_DIR, env: childEnv(env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface ServerProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  /** Sends the signal and resolves with the exit code once the process ended. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `src/main.ts` (or another entry) and resolves once it logged that it listens. */
export function startServer(env: Record<string, string>, options: { entry?: string; args?: string[]; readyMessage?: string } = {}): Promise<ServerProcess> {
  const entry = options.entry ?? 'src/main.ts';
  const ready = options.readyMessage ?? 'listening';
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...NODE_ARGS, entry, ...(options.args ?? [])], {
      cwd: APP_DIR,
      env: childEnv(env),
    });
    let output = '';
    let settled = false;
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    const timer = setTimeout(() => fail(new Error(`server did not start within 60 s:\n${output}`)), 60_000);
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
        try {
          const entry = JSON.parse(line) as { msg?: string; address?: string };
          if (entry.msg === ready) {
            settled = true;
            clearTimeout(timer);
            resolve({
              url: entry.address ?? '',
              child,
              output: () => output,
              stop: async (signal = 'SIGTERM') => {
                if (child.exitCode === null && child.signalCode === null) child.kill(signal);
                return exited;
              },
            });
            return;
          }
        } catch {
          // not a log line
        }
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => fail(new Error(`server exited with ${code} before it was ready:\n${output}`)));
  });
}
