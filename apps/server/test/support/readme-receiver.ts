/*
 * The README's webhook receiver, run exactly as the README writes it (a `node -e` one-liner in a shell), in
 * a directory of its own where it writes `last-webhook.json` and `last-webhook.sig`. What it prints (one
 * `<event> <body>` line per delivery) is read back as the envelopes it received.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { until } from '@whatisup/test-infra';

export interface ReadmeReceiver {
  /** Where it writes its files (the README's signature check runs here). */
  readonly dir: string;
  /** What it printed for each delivery, in arrival order: the event header and the body as it arrived. */
  printed(): Array<{ event: string; body: string }>;
  /** The printed bodies, parsed. */
  envelopes(): Array<{ event: string; data: Record<string, unknown> }>;
  output(): string;
  waitFor(predicate: (envelopes: ReturnType<ReadmeReceiver['envelopes']>) => boolean, what: string, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startReadmeReceiver(command: string, port: number): Promise<ReadmeReceiver> {
  const dir = mkdtempSync(path.join(tmpdir(), 'wiu-readme-receiver-'));
  const child: ChildProcess = spawn('bash', ['-c', `exec ${command}`], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  // It prints nothing when it listens, and any HTTP request would be taken for a delivery: probe the port.
  await until(() => child.exitCode !== null || accepts(port), {
    timeoutMs: 10_000,
    intervalMs: 50,
    message: () => `the README's receiver did not listen on ${port}:\n${output}`,
  });
  if (child.exitCode !== null) throw new Error(`the README's receiver exited with ${child.exitCode}:\n${output}`);

  const printed = () =>
    output
      .split('\n')
      .filter((line) => line.includes(' {'))
      .map((line) => ({ event: line.slice(0, line.indexOf(' ')), body: line.slice(line.indexOf(' ') + 1) }));
  const envelopes = () => printed().map(({ body }) => JSON.parse(body) as { event: string; data: Record<string, unknown> });
  return {
    dir,
    printed,
    envelopes,
    output: () => output,
    waitFor: (predicate, what, timeoutMs = 20_000) =>
      until(() => predicate(envelopes()), { timeoutMs, intervalMs: 20, message: () => `the README's receiver never printed ${what}:\n${output}` }),
    close: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
