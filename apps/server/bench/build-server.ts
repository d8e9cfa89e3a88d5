/*
 * Builds the server and the packages it depends on, exactly as `pnpm start` does before it runs
 * `dist/main.js` (turbo caches, so an unchanged tree builds in seconds).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const BUILD_TIMEOUT_MS = 600_000;

export function buildServer(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      path.join(ROOT, 'node_modules/.bin/turbo'),
      ['run', 'build', '--filter=@whatisup/server...', '--output-logs=errors-only'],
      { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] },
    );
    const timer = setTimeout(() => child.kill('SIGTERM'), BUILD_TIMEOUT_MS);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`building the server failed (${code ?? signal}); try --source to run it from TypeScript`));
    });
  });
}
