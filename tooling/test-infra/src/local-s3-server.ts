/*
 * An S3-compatible server for tests: s3rver (Node, files in a temporary directory) in a child process on a
 * free loopback port, with one bucket and its fixed credentials S3RVER / S3RVER (it refuses unknown access
 * keys). `close` stops it and removes its files.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.js';

export interface LocalS3Server {
  /** `http://127.0.0.1:<port>`: use path-style addressing. */
  readonly endpoint: string;
  readonly bucket: string;
  readonly region: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  close(): Promise<void>;
}

const RUNNER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'run-s3rver.mjs');

export async function startLocalS3Server(bucket = 'whatisup-media-test'): Promise<LocalS3Server> {
  const directory = await mkdtemp(path.join(tmpdir(), 'whatisup-s3-'));
  const port = await freePort();
  const child = spawn(process.execPath, ['--openssl-legacy-provider', RUNNER, String(port), directory, bucket], {
    cwd: path.dirname(RUNNER),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`s3rver did not start within 20 s:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('s3rver ready')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`s3rver exited with ${code} before it was ready:\n${output}`));
    });
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    region: 'us-east-1',
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    async close() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      await rm(directory, { recursive: true, force: true });
    },
  };
}
