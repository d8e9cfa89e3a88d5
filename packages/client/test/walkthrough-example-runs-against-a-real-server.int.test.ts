/*
 * The README's walk-through is examples/walkthrough.ts; it runs here, as a user runs it (its own process,
 * configured by environment), against a real server, so the example cannot rot.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startRealServer, type RealServer } from './support/real-server.js';

const PACKAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

let server: RealServer;

beforeAll(async () => {
  server = await startRealServer('walkthrough');
}, 90_000);

afterAll(async () => {
  await server?.stop();
});

function runExample(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    // What the package's `walkthrough` script runs.
    const child = spawn(process.execPath, ['--conditions=@whatisup/source', '--import', 'tsx', 'examples/walkthrough.ts'], {
      cwd: PACKAGE_DIR,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

it('pairs a sandbox instance, sends a message, follows it to read over SSE and verifies a signed webhook', async () => {
  const { code, output } = await runExample({ WHATISUP_URL: server.url, WHATISUP_API_KEY: server.apiKey });
  expect(output, output).toMatch(/^event: instance\.connected as 999\d+$/m);
  expect(code, output).toBe(0);
  const lines = output.trim().split('\n');
  const sent = /^sent: (msg_\S+) \(queued/m.exec(output)?.[1];
  expect(sent, output).toBeDefined();
  for (const event of ['message.sent', 'message.delivered', 'message.read']) expect(lines).toContain(`event: ${event} ${sent}`);
  expect(output).toMatch(/^webhook: message\.\w+ evt_\S+, signature verified$/m);
  expect(output).not.toMatch(/rejected/);
  expect(lines.at(-1)).toBe('walkthrough: done');
});
