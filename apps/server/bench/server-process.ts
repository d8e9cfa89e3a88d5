/*
 * The server under test, either built (`dist/main.js`, what `pnpm start` runs) or from TypeScript source
 * (`src/main.ts` under tsx with the workspace source condition, as the end-to-end tests run it; tsx's
 * loader thread adds some 30 MiB of RSS). With LOG_LEVEL=warn it logs nothing when it is ready, so
 * readiness is `GET /healthz` answering 200 on the port it was given.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const APP_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** As `pnpm start` and the Docker image run Node: one V8 helper thread fewer than cores (docs/operations.md, "CPU"). */
const NODE_FLAGS = ['--v8-pool-size=0'];
const ENTRY_ARGS = {
  built: [...NODE_FLAGS, 'dist/main.js'],
  source: [...NODE_FLAGS, '--conditions=@whatisup/source', '--import', 'tsx', 'src/main.ts'],
  /** The bare baselines the server is compared with (bench/baseline/baseline-server.ts), run like the server. */
  baseline: [...NODE_FLAGS, '--import', 'tsx', 'bench/baseline/baseline-server.ts'],
} as const;

export type ServerBuild = keyof typeof ENTRY_ARGS;
const KEPT_OUTPUT_CHARS = 20_000;

export interface ServerProcess {
  readonly url: string;
  readonly pid: number;
  /** The last few KiB the process printed (stdout and stderr). */
  output(): string;
  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`; resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

export interface MemoryReading {
  /** Resident set size now, in MiB. */
  readonly rssMiB: number;
  /** The largest resident set size so far, in MiB. */
  readonly peakRssMiB: number;
}

/** Starts the server on a free port and resolves once /healthz answers; kills it and rejects after `timeoutMs`. */
export async function startServerProcess(
  env: Record<string, string>,
  options: { build: ServerBuild; nodeArgs?: readonly string[]; timeoutMs?: number },
): Promise<ServerProcess> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const port = await freePort();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...ENTRY_ARGS[options.build]], {
    cwd: APP_DIR,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-KEPT_OUTPUT_CHARS);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const server: ServerProcess = {
    url,
    pid: child.pid ?? -1,
    output: () => output,
    stop: (graceMs = 15_000) => stopChild(child, exited, graceMs),
  };

  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the server exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${output}`);
    }
    if (await isHealthy(url)) return server;
    await sleep(100);
  }
  await server.stop(1_000);
  throw new Error(`the server was not ready within ${timeoutMs} ms:\n${output}`);
}

/** USER_HZ: the unit of /proc/<pid>/stat times; 100 on every mainstream Linux build. */
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU time (user + system) a process has used so far, in ms, from /proc/<pid>/stat (Linux). */
export function readCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name (which may contain spaces); utime and stime are 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
}

/** Reads VmRSS and VmHWM of a process from /proc (Linux). */
export function readMemory(pid: number): MemoryReading {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMiB: kib('VmRSS') / 1024, peakRssMiB: kib('VmHWM') / 1024 };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

async function isHealthy(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1_000) });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>, graceMs: number): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return exited;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  try {
    return await exited;
  } finally {
    clearTimeout(timer);
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
