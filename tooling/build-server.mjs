#!/usr/bin/env node
/*
 * The build step of `pnpm start` and `pnpm whatisup`: builds the server and the packages it needs with
 * turbo. The first build compiles the server and the packages it needs and takes a few minutes on a small machine, so it says so and shows each
 * package's build output as it happens; later starts rebuild only what changed and stay quiet unless
 * something fails. `--dry-run` prints what it would do; `--root=<dir>` looks for an earlier build there
 * (both for tests).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const dryRun = args.includes('--dry-run');
const rootArg = args.find((arg) => arg.startsWith('--root='));
const root = rootArg === undefined ? resolve(dirname(fileURLToPath(import.meta.url)), '..') : resolve(rootArg.slice('--root='.length));

const firstBuild = !existsSync(join(root, 'apps/server/dist/main.js'));
const turboArgs = [
  'run',
  'build',
  '--filter=@whatisup/server...',
  `--output-logs=${firstBuild ? 'new-only' : 'errors-only'}`,
  '--log-order=stream',
  '--ui=stream',
];
// pnpm scripts have node_modules/.bin on the PATH; run directly, the local turbo is found here.
const localTurbo = join(root, 'node_modules/.bin/turbo');
const turbo = existsSync(localTurbo) ? localTurbo : 'turbo';

if (firstBuild) process.stdout.write('Building the server (the first time takes a few minutes)…\n');
if (dryRun) {
  process.stdout.write(`turbo ${turboArgs.join(' ')}\n`);
  process.exit(0);
}
const result = spawnSync(turbo, turboArgs, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
if (result.error) {
  process.stderr.write(`Could not run turbo: ${result.error.message}\n`);
  process.exit(1);
}
if (firstBuild && result.status === 0) process.stdout.write('Build done; starting.\n');
process.exit(result.status ?? 1);
